using Switchboard.Config;

namespace Switchboard.Providers.Anthropic;

/// <summary>The keys of a provider entry that only <c>anthropic</c> takes; its factory and provider read them here.</summary>
internal sealed record AnthropicProviderOptions(string? Relay)
{
    /// <summary>These keys as the config validator checks them: set on an entry of another type, they are misplaced.</summary>
    public static IReadOnlyList<ProviderOption> Keys { get; } = [new("relay", config => Of(config).Relay is not null)];

    public static AnthropicProviderOptions Of(ProviderConfig config) => new(config.Relay);
}
