using System.Text.Json.Serialization;
using Switchboard.Config;

namespace Switchboard.Providers.Ollama;

/// <summary>The keys of a provider entry that only <c>ollama</c> takes (<c>api</c> with Bedrock); its factory and provider read them here.</summary>
/// <param name="Api"><c>native</c> (default, <c>/api/chat</c>) or <c>anthropic</c> (Ollama's own /v1/messages).</param>
/// <param name="NumCtx">The context size to ask for (<c>options.num_ctx</c>); from <c>/api/show</c> otherwise.</param>
/// <param name="StrictThinking">Answer an explicit thinking budget for a model that cannot think with a 400.</param>
internal sealed record OllamaProviderOptions(string? Api, int? NumCtx, bool? StrictThinking)
{
    public static ProviderOption<string> ApiKey { get; } = new("api", OllamaOptionsJson.Default.String);
    public static ProviderOption<int?> NumCtxKey { get; } = new("numCtx", OllamaOptionsJson.Default.NullableInt32);
    public static ProviderOption<bool?> StrictThinkingKey { get; } = new("strictThinking", OllamaOptionsJson.Default.NullableBoolean);

    /// <summary>These keys as the config validator checks them: set on an entry of another type, they are misplaced.</summary>
    public static IReadOnlyList<ProviderOption> Keys { get; } = [ApiKey, NumCtxKey, StrictThinkingKey];

    public static OllamaProviderOptions Of(ProviderConfig config) =>
        new(ApiKey.Read(config), NumCtxKey.Read(config), StrictThinkingKey.Read(config));
}

/// <summary>How the values of <see cref="OllamaProviderOptions"/> are read, source-generated for Native AOT.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(bool?))]
internal sealed partial class OllamaOptionsJson : JsonSerializerContext;
