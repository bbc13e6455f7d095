using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary>
/// One server-sent event of a streaming reply: the internal currency every provider produces. Flat like
/// <see cref="ContentBlock"/>, so an event type we do not know yet still passes through intact.
/// </summary>
public sealed class StreamEvent
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("message")] public MessageResponse? Message { get; set; }
    [JsonPropertyName("index")] public int? Index { get; set; }
    [JsonPropertyName("content_block")] public ContentBlock? ContentBlock { get; set; }
    [JsonPropertyName("delta")] public StreamDelta? Delta { get; set; }
    [JsonPropertyName("usage")] public Usage? Usage { get; set; }
    [JsonPropertyName("error")] public ErrorDetail? Error { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    public static StreamEvent Ping() => new() { Type = StreamEventTypes.Ping };
    public static StreamEvent ForError(ErrorDetail error) => new() { Type = StreamEventTypes.Error, Error = error };
}

/// <summary>The <c>delta</c> of a <c>content_block_delta</c> or a <c>message_delta</c>.</summary>
public sealed class StreamDelta
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("partial_json")] public string? PartialJson { get; set; }
    [JsonPropertyName("thinking")] public string? Thinking { get; set; }
    [JsonPropertyName("signature")] public string? Signature { get; set; }
    [JsonPropertyName("citation")] public JsonElement? Citation { get; set; }
    [JsonPropertyName("stop_reason")] public string? StopReason { get; set; }
    [JsonPropertyName("stop_sequence")] public string? StopSequence { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal static class StreamEventTypes
{
    public const string MessageStart = "message_start";
    public const string ContentBlockStart = "content_block_start";
    public const string ContentBlockDelta = "content_block_delta";
    public const string ContentBlockStop = "content_block_stop";
    public const string MessageDelta = "message_delta";
    public const string MessageStop = "message_stop";
    public const string Ping = "ping";
    public const string Error = "error";
}

internal static class DeltaTypes
{
    public const string Text = "text_delta";
    public const string InputJson = "input_json_delta";
    public const string Thinking = "thinking_delta";
    public const string Signature = "signature_delta";
    public const string Citations = "citations_delta";
}
