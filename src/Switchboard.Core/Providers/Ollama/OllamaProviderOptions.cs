using Switchboard.Config;

namespace Switchboard.Providers.Ollama;

/// <summary>The keys of a provider entry that only <c>ollama</c> takes (<c>api</c> with Bedrock); its factory and provider read them here.</summary>
internal sealed record OllamaProviderOptions(string? Api, int? NumCtx, bool? StrictThinking)
{
    /// <summary>These keys as the config validator checks them: set on an entry of another type, they are misplaced.</summary>
    public static IReadOnlyList<ProviderOption> Keys { get; } =
    [
        new("api", config => Of(config).Api is not null),
        new("numCtx", config => Of(config).NumCtx is not null),
        new("strictThinking", config => Of(config).StrictThinking is not null),
    ];

    public static OllamaProviderOptions Of(ProviderConfig config) => new(config.Api, config.NumCtx, config.StrictThinking);
}
