using Switchboard.Config;

namespace Switchboard.Providers.Anthropic;

/// <summary><c>"type": "anthropic"</c>: api.anthropic.com or any server that speaks the Messages API.</summary>
public sealed class AnthropicProviderFactory(UpstreamClient upstream) : IProviderFactory
{
    public const string DefaultBaseUrl = "https://api.anthropic.com";

    public string Type => "anthropic";

    public IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config)
    {
        if (config.BaseUrl is { } baseUrl && !IsHttpUrl(EnvExpander.Expand(baseUrl)))
            yield return ("baseUrl", $"'{baseUrl}' is not an http:// or https:// URL");
        if (config.Relay is not (null or AnthropicProvider.RelayBytes or AnthropicProvider.RelayEvents))
            yield return ("relay", $"'{config.Relay}' is not a relay mode; use 'bytes' or 'events'");
        if (config.Preset is not null) yield return ("preset", "applies to openai providers only");
        if (config.Transformers is not null) yield return ("transformers", "applies to openai providers only");
        if (config.PerModel is not null) yield return ("perModel", "applies to openai providers only");
    }

    public IProvider Create(string name, ProviderConfig config) => new AnthropicProvider(name, config, upstream);

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
