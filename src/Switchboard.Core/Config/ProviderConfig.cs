using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Config;

/// <summary>One upstream. Which keys matter depends on <see cref="Type"/>; each provider type validates its own.</summary>
public sealed record ProviderConfig
{
    public required string Type { get; init; }
    public string? BaseUrl { get; init; }

    /// <summary>The upstream's own credential. For <c>anthropic</c>, when unset the client's own is forwarded.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Extra headers sent to this upstream only.</summary>
    public Dictionary<string, string>? Headers { get; init; }

    /// <summary>Models to advertise in <c>/v1/models</c>.</summary>
    public List<string>? Models { get; init; }

    /// <summary>Seconds to wait for the upstream to answer, and the longest silence allowed mid-stream.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>
    /// Whether this provider's models can see images. <c>false</c>: every image becomes an <c>[image omitted]</c>
    /// marker before it is sent. Unset: the provider says (Ollama's <c>/api/show</c>), else images are sent.
    /// </summary>
    public bool? Vision { get; init; }

    /// <summary>
    /// The keys only some types take (<c>relay</c>, <c>numCtx</c>, <c>preset</c>, …), as written. Each type declares and
    /// reads its own through its options record (<c>OllamaProviderOptions</c>), so a new type's keys live in its folder;
    /// <see cref="ConfigLoader"/> refuses a key no type declares and a value of the wrong kind, as the strict reader
    /// does for the keys above. Set by the reader and by <see cref="WithTypeOption"/> only: the serializer cannot hand
    /// extension data to the constructor that sets the <c>init</c> keys.
    /// </summary>
    [JsonExtensionData, JsonInclude]
    public Dictionary<string, JsonElement>? TypeOptions { get; internal set; }

    /// <summary>A copy with <paramref name="key"/> of <see cref="TypeOptions"/> set to <paramref name="value"/>, as if the file said so.</summary>
    public ProviderConfig WithTypeOption(string key, JsonElement value)
    {
        var copy = this with { };
        copy.TypeOptions = new Dictionary<string, JsonElement>(TypeOptions ?? [], StringComparer.Ordinal) { [key] = value };
        return copy;
    }

    /// <summary>
    /// Settings for single models, by exact name or by a prefix ending in <c>*</c>: the context window and output
    /// limit and vision on every type, transformers on <c>openai</c> only.
    /// </summary>
    public Dictionary<string, ModelSettings>? PerModel { get; init; }

    /// <summary>Whether <paramref name="model"/> sees images: its <c>perModel</c> entry (exact, else the longest prefix) over <see cref="Vision"/>.</summary>
    public bool? VisionOf(string model) => PerModelValue(model, settings => settings.Vision) ?? Vision;

    /// <summary><paramref name="model"/>'s <c>perModel.*.contextWindow</c> (exact, else the longest prefix), if set.</summary>
    public int? ContextWindowOf(string model) => PerModelValue(model, settings => settings.ContextWindow);

    /// <summary><paramref name="model"/>'s <c>perModel.*.maxOutputTokens</c> (exact, else the longest prefix), if set.</summary>
    public int? MaxOutputTokensOf(string model) => PerModelValue(model, settings => settings.MaxOutputTokens);

    private T? PerModelValue<T>(string model, Func<ModelSettings, T?> value) where T : struct =>
        (PerModel ?? []).Where(entry => value(entry.Value) is not null && ModelSettings.Matches(entry.Key, model))
            .OrderByDescending(entry => entry.Key == model ? int.MaxValue : entry.Key.Length)
            .Select(entry => value(entry.Value))
            .FirstOrDefault();

    [JsonIgnore]
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds ?? 600);
}
