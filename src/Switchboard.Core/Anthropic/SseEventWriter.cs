using System.Buffers;
using System.Text.Json;

namespace Switchboard.Anthropic;

/// <summary>
/// Writes <see cref="StreamEvent"/>s as SSE (<c>event: …</c>, <c>data: …</c>, blank line) straight into a buffer
/// writer: the JSON is serialized once, into the output, with one reused <see cref="Utf8JsonWriter"/>.
/// </summary>
public sealed class SseEventWriter(IBufferWriter<byte> output)
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions
    {
        SkipValidation = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public void Write(StreamEvent streamEvent)
    {
        output.Write(EventPrefix);
        WriteAscii(streamEvent.Type ?? "message");
        output.Write(DataPrefix);
        _json.Reset(output);
        JsonSerializer.Serialize(_json, streamEvent, AnthropicJson.Relaxed.StreamEvent);
        _json.Flush();
        output.Write(EventEnd);
    }

    private void WriteAscii(string value)
    {
        var span = output.GetSpan(value.Length);
        for (var i = 0; i < value.Length; i++) span[i] = value[i] is > ' ' and < (char)127 ? (byte)value[i] : (byte)'_';
        output.Advance(value.Length);
    }
}
