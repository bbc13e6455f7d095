using System.Text.Json;

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
    /// <c>anthropic</c> only: <c>bytes</c> (default) relays the upstream stream byte for byte; <c>events</c> parses
    /// it into events first, for Anthropic-format servers whose streams need the event pipeline.
    /// </summary>
    public string? Relay { get; init; }

    /// <summary>
    /// Which of the upstream's APIs to use. <c>ollama</c>: <c>native</c> (default, <c>/api/chat</c>) or <c>anthropic</c>
    /// (Ollama's own /v1/messages). <c>bedrock</c>: <c>converse</c> (default, any model) or <c>anthropic</c> (the
    /// Anthropic Messages body through InvokeModel, for Claude models at full fidelity).
    /// </summary>
    public string? Api { get; init; }

    /// <summary><c>ollama</c> only: the context size to ask for (<c>options.num_ctx</c>); from <c>/api/show</c> otherwise.</summary>
    public int? NumCtx { get; init; }

    /// <summary><c>ollama</c> only: answer an explicit thinking budget for a model that cannot think with a 400.</summary>
    public bool? StrictThinking { get; init; }

    /// <summary><c>bedrock</c> only: the AWS region (else <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>).</summary>
    public string? Region { get; init; }

    /// <summary><c>bedrock</c> only: the AWS profile (from <c>~/.aws/credentials</c> and <c>~/.aws/config</c>).</summary>
    public string? Profile { get; init; }

    /// <summary>
    /// <c>openai</c> only: a known server (<c>openrouter</c>, <c>groq</c>, …) that gives the base URL and the server's
    /// quirks, so an entry can be as short as its preset and key.
    /// </summary>
    public string? Preset { get; init; }

    /// <summary>
    /// <c>openai</c> only: request and reply adjustments applied in order, each a name (<c>"cleancache"</c>) or
    /// <c>[name, options]</c> as in claude-code-router (<c>["maxtoken", {"max_tokens": 16384}]</c>).
    /// </summary>
    public List<JsonElement>? Transformers { get; init; }

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

    [System.Text.Json.Serialization.JsonIgnore]
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds ?? 600);
}
