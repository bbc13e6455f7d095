using Switchboard.Providers;

namespace Switchboard.Config;

/// <summary>
/// The checks every provider entry gets, whatever its type: a key that another type declares (its factory's
/// <see cref="IProviderFactory.Options"/>) is named as misplaced ("numCtx applies to ollama providers only"), in the
/// registry's order; keys no factory declares (type, baseUrl, apiKey, headers, models, timeoutSeconds, vision,
/// perModel) apply to every type. Each factory checks the values of its own keys.
/// </summary>
internal static class ProviderKeys
{
    public static IEnumerable<(string Path, string Problem)> Misplaced(ProviderConfig config, ProviderRegistry registry)
    {
        var scoped = registry.Factories
            .SelectMany(factory => factory.Options.Select(option => (Option: option, factory.Type)))
            .GroupBy(pair => pair.Option.Key, StringComparer.Ordinal);
        foreach (var declared in scoped)
        {
            var types = declared.Select(pair => pair.Type).ToList();
            if (declared.First().Option.IsSet(config) && !types.Contains(config.Type))
                yield return (declared.Key, $"applies to {string.Join(" and ", types)} providers only");
        }
        foreach (var (model, settings) in config.PerModel ?? [])
        {
            if (settings.ContextWindow is < 1024) yield return ($"perModel.{model}.contextWindow", "must be at least 1024 tokens");
            if (settings.MaxOutputTokens is < 1) yield return ($"perModel.{model}.maxOutputTokens", "must be at least 1 token");
        }
        if (config.BaseUrl is { } baseUrl && !IsHttpUrl(EnvExpander.Expand(baseUrl)))
            yield return ("baseUrl", $"'{Secrets.MaskUrl(baseUrl)}' is not an http:// or https:// URL");
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
