using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Config;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// The keys of a provider entry that only <c>openai</c> takes, <c>perModel.*.transformers</c> included; its factory and
/// provider read them here.
/// </summary>
/// <param name="Preset">
/// A known server (<c>openrouter</c>, <c>groq</c>, …) that gives the base URL and the server's quirks, so an entry can
/// be as short as its preset and key.
/// </param>
/// <param name="Transformers">
/// Request and reply adjustments applied in order, each a name (<c>"cleancache"</c>) or <c>[name, options]</c> as in
/// claude-code-router (<c>["maxtoken", {"max_tokens": 16384}]</c>).
/// </param>
internal sealed record OpenAIProviderOptions(string? Preset, List<JsonElement>? Transformers)
{
    public static ProviderOption<string> PresetKey { get; } = new("preset", OpenAIOptionsJson.Default.String);
    public static ProviderOption<List<JsonElement>> TransformersKey { get; } = new("transformers", OpenAIOptionsJson.Default.ListJsonElement);

    /// <summary>These keys as the config validator checks them: set on an entry of another type, they are misplaced.</summary>
    public static IReadOnlyList<ProviderOption> Keys { get; } =
    [
        PresetKey,
        TransformersKey,
        new("perModel.*.transformers", config => config.PerModel?.Values.Any(settings => settings.Transformers is not null) == true),
    ];

    public static OpenAIProviderOptions Of(ProviderConfig config) => new(PresetKey.Read(config), TransformersKey.Read(config));
}

/// <summary>How the values of <see cref="OpenAIProviderOptions"/> are read, source-generated for Native AOT.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<JsonElement>))]
internal sealed partial class OpenAIOptionsJson : JsonSerializerContext;
