namespace Switchboard.Hosting;

/// <summary>
/// Finds the Messages stream's last event (<c>message_stop</c>, or an <c>error</c>) in a run of whole SSE events, by its
/// <c>event:</c> line or, for a stream that sends none, by the <c>type</c> its data begins with. The bytes are only
/// walked line by line when they could hold one, so the relay of an ordinary event costs one vectorized search.
/// </summary>
internal static class SseFinalEvent
{
    /// <summary>The length up to and including the end of the first final event; -1 when there is none.</summary>
    public static int EndOfFinal(ReadOnlySpan<byte> events)
    {
        if (events.IndexOf("message_stop"u8) < 0 && events.IndexOf("error"u8) < 0) return -1;
        var position = 0;
        var firstLine = true;
        var final = false;
        while (position < events.Length)
        {
            var rest = events[position..];
            var end = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0) return -1;
            var line = rest[..end];
            var terminator = rest[end] == (byte)'\r' && end + 1 < rest.Length && rest[end + 1] == (byte)'\n' ? 2 : 1;
            position += end + terminator;
            if (line.IsEmpty)
            {
                if (final) return position;
                firstLine = true;
                continue;
            }
            if (firstLine || line.StartsWith("event:"u8)) final |= IsFinal(line);
            firstLine = false;
        }
        return -1;
    }

    private static bool IsFinal(ReadOnlySpan<byte> line)
    {
        if (line.StartsWith("event:"u8))
        {
            var name = line[6..].Trim((byte)' ');
            return name.SequenceEqual("message_stop"u8) || name.SequenceEqual("error"u8);
        }
        if (!line.StartsWith("data:"u8)) return false;
        var data = line[5..].TrimStart((byte)' ');
        return data.StartsWith("{\"type\":\"message_stop\""u8) || data.StartsWith("{\"type\": \"message_stop\""u8) ||
               data.StartsWith("{\"type\":\"error\""u8) || data.StartsWith("{\"type\": \"error\""u8);
    }
}
