namespace Switchboard.Config;

/// <summary>
/// Which provider keys belong to which provider types, checked in one place so a key set on the wrong type is
/// named as such ("numCtx applies to ollama providers only"). Keys not listed here (type, baseUrl, apiKey,
/// headers, models, timeoutSeconds) apply to every type; each factory checks the values of its own keys.
/// </summary>
internal static class ProviderKeys
{
    private static readonly (string Key, Func<ProviderConfig, bool> IsSet, string[] Types)[] Scoped =
    [
        ("relay", c => c.Relay is not null, ["anthropic"]),
        ("api", c => c.Api is not null, ["ollama", "bedrock"]),
        ("numCtx", c => c.NumCtx is not null, ["ollama"]),
        ("strictThinking", c => c.StrictThinking is not null, ["ollama"]),
        ("preset", c => c.Preset is not null, ["openai"]),
        ("transformers", c => c.Transformers is not null, ["openai"]),
        ("perModel.*.transformers", c => c.PerModel?.Values.Any(settings => settings.Transformers is not null) == true, ["openai"]),
        ("region", c => c.Region is not null, ["bedrock"]),
        ("profile", c => c.Profile is not null, ["bedrock"]),
    ];

    public static IEnumerable<(string Path, string Problem)> Misplaced(ProviderConfig config)
    {
        foreach (var (key, isSet, types) in Scoped)
            if (isSet(config) && !types.Contains(config.Type))
                yield return (key, $"applies to {string.Join(" and ", types)} providers only");
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
