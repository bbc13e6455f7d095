using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Tests.Sanitizing;

/// <summary>Stream events written as Anthropic writes them, for building upstream streams in tests.</summary>
public static class StreamEvents
{
    public static StreamEvent Parse(string json) => JsonSerializer.Deserialize(json, AnthropicJson.Default.StreamEvent)!;

    public static string Json(StreamEvent e) => JsonSerializer.Serialize(e, AnthropicJson.Default.StreamEvent);

    public static StreamEvent MessageStart(int input = 10) =>
        Parse($$$$"""{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":{{{{input}}}},"output_tokens":1}}}""");

    public static StreamEvent Start(int index, string type) => Parse(type switch
    {
        "thinking" => $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"thinking","thinking":"","signature":""}}""",
        "tool_use" => $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"tool_use","id":"toolu_{{{{index}}}}","name":"Bash","input":{}}}""",
        _ => $$$$"""{"type":"content_block_start","index":{{{{index}}}},"content_block":{"type":"{{{{type}}}}","text":""}}""",
    });

    public static StreamEvent Text(int index, string text) =>
        Parse($$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{"type":"text_delta","text":{{{{JsonSerializer.Serialize(text)}}}}}}""");

    public static StreamEvent Thinking(int index, string thinking) =>
        Parse($$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{"type":"thinking_delta","thinking":{{{{JsonSerializer.Serialize(thinking)}}}}}}""");

    public static StreamEvent Signature(int index, string signature) =>
        Parse($$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{"type":"signature_delta","signature":"{{{{signature}}}}"}}""");

    public static StreamEvent Input(int index, string partialJson) =>
        Parse($$$$"""{"type":"content_block_delta","index":{{{{index}}}},"delta":{"type":"input_json_delta","partial_json":{{{{JsonSerializer.Serialize(partialJson)}}}}}}""");

    public static StreamEvent Stop(int index) => Parse($$$$"""{"type":"content_block_stop","index":{{{{index}}}}}""");

    public static StreamEvent MessageDelta(string? stopReason = "end_turn", int output = 7) => Parse(stopReason is null
        ? $$$$"""{"type":"message_delta","delta":{},"usage":{"output_tokens":{{{{output}}}}}}"""
        : $$$$"""{"type":"message_delta","delta":{"stop_reason":"{{{{stopReason}}}}","stop_sequence":null},"usage":{"output_tokens":{{{{output}}}}}}""");

    public static StreamEvent MessageStop() => Parse("""{"type":"message_stop"}""");

    public static StreamEvent Ping() => Parse("""{"type":"ping"}""");

    public static StreamEvent Error(string message) => Parse($$$$"""{"type":"error","error":{"type":"overloaded_error","message":"{{{{message}}}}"}}""");

    /// <summary>The events as an upstream stream; then <paramref name="failure"/> is thrown, if given.</summary>
    public static async IAsyncEnumerable<StreamEvent> Upstream(
        IEnumerable<StreamEvent> events, Exception? failure = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var e in events)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }
        if (failure is not null) throw failure;
    }
}
