using System.Text.Json.Serialization;
using Switchboard.Config;

namespace Switchboard.Providers.Anthropic;

/// <summary>The keys of a provider entry that only <c>anthropic</c> takes; its factory and provider read them here.</summary>
/// <param name="Relay">
/// <c>bytes</c> (default) relays the upstream stream byte for byte; <c>events</c> parses it into events first, for
/// Anthropic-format servers whose streams need the event pipeline.
/// </param>
internal sealed record AnthropicProviderOptions(string? Relay)
{
    public static ProviderOption<string> RelayKey { get; } = new("relay", AnthropicOptionsJson.Default.String);

    /// <summary>These keys as the config validator checks them: set on an entry of another type, they are misplaced.</summary>
    public static IReadOnlyList<ProviderOption> Keys { get; } = [RelayKey];

    public static AnthropicProviderOptions Of(ProviderConfig config) => new(RelayKey.Read(config));
}

/// <summary>How the values of <see cref="AnthropicProviderOptions"/> are read, source-generated for Native AOT.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class AnthropicOptionsJson : JsonSerializerContext;
