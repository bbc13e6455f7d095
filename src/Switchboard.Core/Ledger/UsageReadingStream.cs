using System.Buffers;
using Switchboard.Anthropic;

namespace Switchboard.Ledger;

/// <summary>
/// A read-only pass-through over a relayed upstream body that hands what it reads to <see cref="ReplyUsage"/>. For
/// an event stream it splits lines as bytes arrive and keeps only the current line (a line longer than
/// <see cref="MaxLine"/> cannot be a usage event and is skipped); for a JSON body it keeps a copy of up to
/// <see cref="MaxJsonBody"/> bytes and reads it at the end. The caller sees every byte as soon as it is read.
/// </summary>
internal sealed class UsageReadingStream(Stream inner, ReplyUsage usage, bool eventStream) : Providers.ReadOnlyStream
{
    public const int MaxLine = 64 * 1024;
    public const int MaxJsonBody = 4 * 1024 * 1024;

    private byte[] _buffer = [];
    private int _length;
    private bool _overflow;
    private bool _ended;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            usage.Error = ex is AnthropicErrorException known ? known.Error.Type : ErrorTypes.Api;
            throw;
        }
        See(buffer.Span[..read]);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        See(buffer.AsSpan(offset, read));
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void See(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            End();
            return;
        }
        if (!eventStream)
        {
            if (!_overflow && _length + bytes.Length > MaxJsonBody) _overflow = true;
            if (!_overflow) Keep(bytes);
            return;
        }
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOfAny((byte)'\n', (byte)'\r');
            if (end < 0)
            {
                KeepLine(bytes);
                return;
            }
            KeepLine(bytes[..end]);
            Line();
            bytes = bytes[(end + 1)..];
        }
    }

    private void KeepLine(ReadOnlySpan<byte> bytes)
    {
        if (_overflow) return;
        if (_length + bytes.Length > MaxLine)
        {
            _overflow = true;
            return;
        }
        Keep(bytes);
    }

    private void Line()
    {
        var line = _buffer.AsSpan(0, _length);
        if (!_overflow && line.StartsWith("data:"u8)) usage.ObserveSseData(line[5..]);
        _length = 0;
        _overflow = false;
    }

    private void End()
    {
        if (_ended) return;
        _ended = true;
        if (eventStream) Line();
        else if (!_overflow && _length > 0) usage.ObserveJsonBody(_buffer.AsSpan(0, _length));
        Release();
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + bytes.Length, Math.Max(1024, _buffer.Length * 2)));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            Release();
            _buffer = larger;
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Release()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            if (!_ended) Release();
        }
        base.Dispose(disposing);
    }
}
