using Switchboard.Config;

namespace Switchboard.Providers.Gemini;

/// <summary><c>"type": "gemini"</c>: Google's Gemini API, keyed by <c>apiKey</c> (default <c>$GEMINI_API_KEY</c>).</summary>
public sealed class GeminiProviderFactory(UpstreamClient upstream) : IProviderFactory
{
    public string Type => "gemini";

    public IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config)
    {
        if (config.BaseUrl is { } baseUrl && !Uri.TryCreate(EnvExpander.Expand(baseUrl), UriKind.Absolute, out _))
            yield return ("baseUrl", $"'{baseUrl}' is not an absolute URL");
        foreach (var (key, set) in new[] { ("api", config.Api is not null), ("relay", config.Relay is not null), ("numCtx", config.NumCtx is not null), ("strictThinking", config.StrictThinking is not null), ("region", config.Region is not null), ("profile", config.Profile is not null) })
            if (set) yield return (key, "does not apply to gemini providers");
    }

    public IProvider Create(string name, ProviderConfig config) => new GeminiProvider(name, config, upstream);
}
