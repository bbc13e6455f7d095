using Switchboard.Config;

namespace Switchboard.Providers.Bedrock;

/// <summary>The keys of a provider entry that only <c>bedrock</c> takes (<c>api</c> with Ollama); its factory, provider and endpoint read them here.</summary>
internal sealed record BedrockProviderOptions(string? Api, string? Region, string? Profile)
{
    /// <summary>These keys as the config validator checks them: set on an entry of another type, they are misplaced.</summary>
    public static IReadOnlyList<ProviderOption> Keys { get; } =
    [
        new("api", config => Of(config).Api is not null),
        new("region", config => Of(config).Region is not null),
        new("profile", config => Of(config).Profile is not null),
    ];

    public static BedrockProviderOptions Of(ProviderConfig config) => new(config.Api, config.Region, config.Profile);
}
