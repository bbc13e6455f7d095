using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Switchboard.Anthropic;

/// <summary>
/// Reads an Anthropic-format SSE stream into <see cref="StreamEvent"/>s. Framing (chunk boundaries anywhere, UTF-8
/// split across reads, CRLF, comments) is the BCL's <see cref="SseParser"/>; this only turns each data payload into
/// an event.
/// </summary>
internal static class SseEventReader
{
    public static async IAsyncEnumerable<StreamEvent> ReadAsync(
        Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default, string source = "The upstream")
    {
        var parser = SseParser.Create(stream, (eventType, data) => Parse(eventType, data, source));
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is { } streamEvent) yield return streamEvent;
        }
    }

    private static StreamEvent? Parse(string eventType, ReadOnlySpan<byte> data, string source)
    {
        if (data.IsEmpty) return null;
        StreamEvent? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(data, AnthropicJson.Default.StreamEvent);
        }
        catch (JsonException ex)
        {
            throw new AnthropicErrorException(
                AnthropicError.Api($"{source} sent a malformed '{eventType}' event: {ex.Message}", 502), ex);
        }

        if (parsed is null) return null;
        // The SSE "event:" line is authoritative when the payload omits its own type.
        if (parsed.Type is null && eventType != SseParser.EventTypeDefault) parsed.Type = eventType;
        return parsed;
    }
}
