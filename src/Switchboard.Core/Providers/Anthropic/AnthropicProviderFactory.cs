using Switchboard.Config;

namespace Switchboard.Providers.Anthropic;

/// <summary><c>"type": "anthropic"</c>: api.anthropic.com or any server that speaks the Messages API.</summary>
internal sealed class AnthropicProviderFactory(UpstreamClient upstream, SubscriptionToken? subscription = null) : IProviderFactory
{
    public const string DefaultBaseUrl = "https://api.anthropic.com";

    internal static ProviderKind Kind { get; } = new()
    {
        Type = "anthropic",
        ClaudeCodeKnowsItsModels = true,
        ForwardsClientLogin = true,
        CreateFactory = services => new AnthropicProviderFactory(services.Upstream, services.Subscription),
    };

    public string Type => Kind.Type;

    public IReadOnlyList<ProviderOption> Options => AnthropicProviderOptions.Keys;

    public IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config)
    {
        var relay = AnthropicProviderOptions.Of(config).Relay;
        if (relay is not (null or AnthropicProvider.RelayBytes or AnthropicProvider.RelayEvents))
            yield return ("relay", $"'{relay}' is not a relay mode; use 'bytes' or 'events'");
    }

    /// <summary>Anthropic's API, or a proxy in front of it even at a local address: priced like Anthropic.</summary>
    public bool IsLocal(ProviderConfig config) => false;

    public IProvider Create(string name, ProviderConfig config) =>
        new AnthropicProvider(name, config, upstream, CredentialPolicy.ClientOrOwnKey, subscription);
}
