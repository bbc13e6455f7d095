using System.Buffers;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Hosting;

/// <summary>
/// Reads a run of whole SSE events the way the client will, before they are relayed: each event's data must be JSON,
/// and the Messages stream's last event (<c>message_stop</c>, or an <c>error</c>) ends the run, known by its
/// <c>event:</c> line or, in a stream that sends none, by the <c>type</c> its data begins with. Nothing is copied: the
/// lines are found with vectorized searches and the JSON is skimmed, not parsed into objects.
/// </summary>
internal static class SseEventScan
{
    /// <param name="Relayable">The length of the leading events that may go to the client (up to and including a final one).</param>
    /// <param name="Final">Whether those end with the stream's last event.</param>
    /// <param name="Problem">Why the event after them may not go, or null when all may.</param>
    public readonly record struct Result(int Relayable, bool Final, string? Problem);

    public static Result Scan(ReadOnlySpan<byte> events)
    {
        var position = 0;
        var eventStart = 0;
        var final = false;
        var dataLines = 0;
        ReadOnlySpan<byte> data = default;
        byte[]? joined = null;
        var joinedLength = 0;
        try
        {
            while (position < events.Length)
            {
                var rest = events[position..];
                var end = rest.IndexOfAny((byte)'\r', (byte)'\n');
                if (end < 0) break;
                var line = rest[..end];
                position += end + (rest[end] == (byte)'\r' && end + 1 < rest.Length && rest[end + 1] == (byte)'\n' ? 2 : 1);
                if (!line.IsEmpty)
                {
                    if (line.StartsWith("event:"u8)) final |= IsFinalName(line[6..].Trim((byte)' '));
                    else if (line.StartsWith("data:"u8))
                    {
                        var payload = line[5..];
                        if (!payload.IsEmpty && payload[0] == (byte)' ') payload = payload[1..];
                        if (++dataLines == 1) data = payload;
                        else Join(ref joined, ref joinedLength, dataLines == 2 ? data : default, payload);
                    }
                    continue;
                }

                // A blank line: the event from eventStart is whole.
                var json = dataLines > 1 ? joined.AsSpan(0, joinedLength) : data;
                if (dataLines > 0)
                {
                    if (Problem(json) is { } problem) return new Result(eventStart, false, problem);
                    final |= IsFinalData(json);
                }
                if (final) return new Result(position, true, null);
                eventStart = position;
                dataLines = 0;
                joinedLength = 0;
            }
            return new Result(eventStart, false, null);
        }
        finally
        {
            if (joined is not null) ArrayPool<byte>.Shared.Return(joined);
        }
    }

    /// <summary>SSE joins several data lines of one event with a line feed.</summary>
    private static void Join(ref byte[]? joined, ref int length, ReadOnlySpan<byte> first, ReadOnlySpan<byte> next)
    {
        var needed = length + first.Length + next.Length + 1;
        if (joined is null || joined.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1024));
            joined?.AsSpan(0, length).CopyTo(larger);
            if (joined is not null) ArrayPool<byte>.Shared.Return(joined);
            joined = larger;
        }
        if (!first.IsEmpty)
        {
            first.CopyTo(joined.AsSpan(length));
            length += first.Length;
        }
        joined[length++] = (byte)'\n';
        next.CopyTo(joined.AsSpan(length));
        length += next.Length;
    }

    private static string? Problem(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read()) return "an event with empty data";
            reader.Skip();
            if (reader.Read()) return "an event with more than one JSON value";
            return null;
        }
        catch (JsonException ex)
        {
            return JsonFailure.CoreMessage(ex).TrimEnd('.', ' ');
        }
    }

    private static bool IsFinalName(ReadOnlySpan<byte> name) => name.SequenceEqual("message_stop"u8) || name.SequenceEqual("error"u8);

    private static bool IsFinalData(ReadOnlySpan<byte> data)
    {
        var json = data.TrimStart((byte)' ');
        return json.StartsWith("{\"type\":\"message_stop\""u8) || json.StartsWith("{\"type\": \"message_stop\""u8) ||
               json.StartsWith("{\"type\":\"error\""u8) || json.StartsWith("{\"type\": \"error\""u8);
    }
}
