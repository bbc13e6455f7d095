using System.Text.Json.Serialization;
using Switchboard.Config;

namespace Switchboard.Providers.Bedrock;

/// <summary>The keys of a provider entry that only <c>bedrock</c> takes (<c>api</c> with Ollama); its factory, provider and endpoint read them here.</summary>
/// <param name="Api">
/// <c>converse</c> (default, any model) or <c>anthropic</c> (the Anthropic Messages body through InvokeModel, for Claude
/// models at full fidelity).
/// </param>
/// <param name="Region">The AWS region (else <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>).</param>
/// <param name="Profile">The AWS profile (from <c>~/.aws/credentials</c> and <c>~/.aws/config</c>).</param>
internal sealed record BedrockProviderOptions(string? Api, string? Region, string? Profile)
{
    public static ProviderOption<string> ApiKey { get; } = new("api", BedrockOptionsJson.Default.String);
    public static ProviderOption<string> RegionKey { get; } = new("region", BedrockOptionsJson.Default.String);
    public static ProviderOption<string> ProfileKey { get; } = new("profile", BedrockOptionsJson.Default.String);

    /// <summary>These keys as the config validator checks them: set on an entry of another type, they are misplaced.</summary>
    public static IReadOnlyList<ProviderOption> Keys { get; } = [ApiKey, RegionKey, ProfileKey];

    public static BedrockProviderOptions Of(ProviderConfig config) =>
        new(ApiKey.Read(config), RegionKey.Read(config), ProfileKey.Read(config));
}

/// <summary>How the values of <see cref="BedrockProviderOptions"/> are read, source-generated for Native AOT.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class BedrockOptionsJson : JsonSerializerContext;
