namespace Switchboard.Providers.OpenAI;

/// <summary>
/// A known chat-completions server: where it lives and what it does differently from OpenAI's own API. Every quirk
/// is a plain value here so the request mapper and the reply reader stay free of server names.
/// </summary>
internal sealed record OpenAIPreset
{
    public required string Name { get; init; }

    /// <summary>Ends in the API version folder; <c>/chat/completions</c> is appended.</summary>
    public required string BaseUrl { get; init; }

    /// <summary>A hosted service that answers 401 without a key; the environment variable its docs suggest.</summary>
    public string? KeyVariable { get; init; }

    /// <summary>OpenAI's current name for the output cap; everyone else still takes <c>max_tokens</c>.</summary>
    public bool UsesMaxCompletionTokens { get; init; }

    /// <summary>How thinking is asked for, and for which models (sending it to others is a 400 on some servers).</summary>
    public ReasoningControl Reasoning { get; init; } = ReasoningControl.None;
    public Func<string, bool> ReasoningModels { get; init; } = _ => true;

    /// <summary>Models that reject sampling settings and stop sequences and take <c>developer</c> messages (OpenAI's o-series, gpt-5).</summary>
    public Func<string, bool> FixedSamplingModels { get; init; } = _ => false;

    /// <summary>DeepSeek: an assistant turn that called tools must carry its <c>reasoning_content</c> back.</summary>
    public bool SendsReasoningBack { get; init; }

    /// <summary>
    /// Models that take <c>cache_control</c> on text parts: OpenRouter passes them to Anthropic's and Google's models,
    /// which cache only where marked; other models cache on their own and get plain strings.
    /// </summary>
    public Func<string, bool> CacheControlModels { get; init; } = _ => false;

    public bool AcceptsTopK { get; init; }

    /// <summary>
    /// Local servers render chat templates that reject a system message anywhere but first (Qwen, Mistral, Gemma…):
    /// later system turns are folded into the user turn beside them.
    /// </summary>
    public bool SystemOnlyFirst { get; init; }

    /// <summary>JSON Schema keywords removed from tool parameters before they are sent.</summary>
    public IReadOnlySet<string> DroppedSchemaKeywords { get; init; } = DefaultDroppedKeywords;

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary><c>$schema</c> tells the model nothing and some servers refuse it.</summary>
    public static readonly IReadOnlySet<string> DefaultDroppedKeywords = new HashSet<string>(StringComparer.Ordinal) { "$schema" };
}

/// <summary>The request field that asks a server's model to think.</summary>
internal enum ReasoningControl
{
    None,

    /// <summary><c>reasoning_effort</c>: low, medium or high.</summary>
    Effort,

    /// <summary>OpenRouter's <c>reasoning</c> object: <c>{"effort": …}</c> or <c>{"max_tokens": budget}</c>.</summary>
    OpenRouter,

    /// <summary><c>chat_template_kwargs</c>: <c>enable_thinking</c> (Qwen3) and <c>thinking</c> (DeepSeek V3.1) for templates that read them.</summary>
    ChatTemplateKwargs,
}

/// <summary>Which reply field carries the model's reasoning.</summary>
internal enum ReasoningField
{
    /// <summary><c>reasoning_content</c> when a chunk has it, else <c>reasoning</c>; never both, as some servers duplicate it.</summary>
    Either,
    ReasoningContent,
    Reasoning,
}
