using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Providers.OpenAI;

// The reply half: one streamed chunk ("chat.completion.chunk"), or a whole "chat.completion", which has the same
// shape with message in place of delta. Fields some servers fill with odd types are read leniently.

internal sealed class ChatChunk
{
    public string? Id { get; set; }
    public string? Model { get; set; }
    public List<ChatChoice>? Choices { get; set; }
    public ChatUsage? Usage { get; set; }

    /// <summary>An in-stream failure (OpenRouter, vLLM…): an object with a message, or a plain string.</summary>
    public JsonElement? Error { get; set; }

    /// <summary>Set by the reader for the <c>[DONE]</c> line: the upstream said the reply is complete.</summary>
    [JsonIgnore] public bool IsDone { get; init; }

    public static readonly ChatChunk Done = new() { IsDone = true };
}

internal sealed class ChatChoice
{
    public int? Index { get; set; }
    public ChatDelta? Delta { get; set; }

    /// <summary>In a non-streamed reply, in place of <see cref="Delta"/>.</summary>
    public ChatDelta? Message { get; set; }
    public string? FinishReason { get; set; }

    /// <summary>vLLM: the stop string that ended the reply (a token id when it was a stop token).</summary>
    public JsonElement? StopReason { get; set; }
}

internal sealed class ChatDelta
{
    [JsonConverter(typeof(LenientTextConverter))] public string? Content { get; set; }

    /// <summary>DeepSeek, vLLM, NIM, llama.cpp, LM Studio.</summary>
    [JsonConverter(typeof(LenientTextConverter))] public string? ReasoningContent { get; set; }

    /// <summary>OpenRouter, Groq, Together, newer vLLM.</summary>
    [JsonConverter(typeof(LenientTextConverter))] public string? Reasoning { get; set; }
    [JsonConverter(typeof(LenientTextConverter))] public string? Refusal { get; set; }
    public List<ChatToolCallDelta>? ToolCalls { get; set; }
}

internal sealed class ChatToolCallDelta
{
    /// <summary>Which call a fragment belongs to; absent from some servers' replies.</summary>
    public int? Index { get; set; }
    public string? Id { get; set; }
    public ChatFunctionDelta? Function { get; set; }
}

internal sealed class ChatFunctionDelta
{
    public string? Name { get; set; }

    /// <summary>A fragment of JSON text; a few servers send a whole object instead, kept as its JSON text.</summary>
    [JsonConverter(typeof(LenientTextConverter))] public string? Arguments { get; set; }
}

internal sealed class ChatUsage
{
    public int? PromptTokens { get; set; }
    public int? CompletionTokens { get; set; }
    public ChatPromptTokensDetails? PromptTokensDetails { get; set; }

    /// <summary>DeepSeek's name for cached prompt tokens.</summary>
    public int? PromptCacheHitTokens { get; set; }
}

internal sealed class ChatPromptTokensDetails
{
    public int? CachedTokens { get; set; }
}

/// <summary>
/// Reads text fields whatever shape a server chose: a string; a list of parts (their <c>text</c> joined); any other
/// JSON as its text (a tool call's arguments sent as an object). Null stays null.
/// </summary>
internal sealed class LenientTextConverter : JsonConverter<string>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartArray:
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    var text = new StringBuilder();
                    foreach (var part in document.RootElement.EnumerateArray())
                        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                            text.Append(t.GetString());
                    return text.ToString();
                }
            default:
                using (var document = JsonDocument.ParseValue(ref reader)) return document.RootElement.GetRawText();
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
