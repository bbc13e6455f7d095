using System.Buffers;
using System.IO.Pipelines;
using Switchboard.Providers;

namespace Switchboard.Hosting;

/// <summary>
/// Relays an upstream SSE body to the client as bytes arrive, but only ever up to the end of a complete event whose
/// data parses. If the upstream breaks off mid-event, or ends or garbles its stream, the client never sees the half
/// event, and the error event that follows is well-formed. The relay ends with the stream's last event (<c>message_stop</c> or <c>error</c>): once it is out, the reply is
/// complete, and an upstream that keeps its connection open cannot keep the client waiting. Output is flushed
/// whenever the next upstream read would wait, not after every write: events that arrive together leave together, and
/// nothing is ever held back while the upstream is quiet.
/// </summary>
internal sealed class SseBoundaryRelay(PipeWriter client, string provider)
{
    private byte[] _pending = [];
    private int _pendingLength;
    private bool _ended;

    /// <summary>Copies until the stream's last event is out. A stream that fails or ends before it throws (an Anthropic error).</summary>
    public async Task CopyAsync(Stream upstream, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (!_ended)
            {
                var reading = upstream.ReadAsync(buffer, cancellationToken);
                if (!reading.IsCompleted) await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                var read = await reading.ConfigureAwait(false);
                if (read == 0) break;
                Relay(buffer.AsSpan(0, read));
            }

            await client.FlushAsync(cancellationToken).ConfigureAwait(false);
            // A clean end before the last event: the client must learn that the reply is cut, and never see half an event.
            if (!_ended)
                throw UpstreamFault.Broken(provider, _pendingLength > 0
                    ? "ended its stream in the middle of an event"
                    : "ended its stream before its last event (message_stop)");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Relay(ReadOnlySpan<byte> chunk)
    {
        if (_pendingLength == 0)
        {
            var end = EndOfLastEvent(chunk);
            if (end > 0) Write(chunk[..end]);
            if (!_ended) Keep(chunk[end..]);
            return;
        }

        // Only the new bytes (and the three before them, for a CRLF CRLF that spans reads) can end an event: scanning
        // all that is held on every read would make one long event cost the square of its length.
        var from = Math.Max(0, _pendingLength - 3);
        Keep(chunk);
        var endInNew = EndOfLastEvent(_pending.AsSpan(from, _pendingLength - from));
        if (endInNew == 0) return;
        var complete = from + endInNew;
        Write(_pending.AsSpan(0, complete));
        if (_ended) return;
        _pending.AsSpan(complete, _pendingLength - complete).CopyTo(_pending);
        _pendingLength -= complete;
    }

    /// <summary>
    /// Writes whole events, up to and including a final one; what follows a final event is never sent. An event whose
    /// data is not JSON is not sent either: the client would choke on it, so the relay fails there instead.
    /// </summary>
    private void Write(ReadOnlySpan<byte> events)
    {
        var scan = SseEventScan.Scan(events);
        client.Write(events[..scan.Relayable]);
        if (scan.Problem is { } problem) throw UpstreamFault.Broken(provider, $"sent an event that does not parse ({problem})");
        _ended = scan.Final;
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        // One event larger than the largest request Anthropic accepts cannot be part of a conversation; refuse to hold it.
        if (_pendingLength + bytes.Length > UpstreamBody.MaxLineBytes)
            throw UpstreamFault.Broken(provider, $"sent an event of more than {UpstreamBody.MaxLineBytes / 1024 / 1024} MB");
        // Doubling, but never past the bound itself: a 20 MB event must not end in a 64 MB array.
        if (_pendingLength + bytes.Length > _pending.Length)
            Array.Resize(ref _pending, Math.Max(_pendingLength + bytes.Length, Math.Min(UpstreamBody.MaxLineBytes, Math.Max(256, _pending.Length * 2))));
        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    /// <summary>The length of the prefix that ends with a blank line (LF LF, CRLF CRLF, or CR CR); 0 if none.</summary>
    internal static int EndOfLastEvent(ReadOnlySpan<byte> data)
    {
        for (var i = data.Length - 1; i >= 1; i--)
        {
            var current = data[i];
            if (current != (byte)'\n' && current != (byte)'\r') continue;
            var previous = data[i - 1];
            if (current == (byte)'\n' && previous == (byte)'\n') return i + 1;
            if (current == (byte)'\r' && previous == (byte)'\r' && (i + 1 >= data.Length || data[i + 1] != (byte)'\n'))
                return i + 1;
            if (current == (byte)'\n' && previous == (byte)'\r' && i >= 3 && data[i - 2] == (byte)'\n' && data[i - 3] == (byte)'\r')
                return i + 1;
        }
        return 0;
    }
}
