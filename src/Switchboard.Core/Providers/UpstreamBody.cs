using Switchboard.Anthropic;

namespace Switchboard.Providers;

/// <summary>How an upstream body is framed, which decides the bound on what Switchboard holds of it at once.</summary>
public enum UpstreamFraming
{
    /// <summary>SSE or NDJSON: no line may be longer than <see cref="UpstreamBody.MaxLineBytes"/>.</summary>
    Lines,

    /// <summary>One JSON document (a non-streaming reply): no longer than <see cref="UpstreamBody.MaxWholeBytes"/>.</summary>
    Whole,

    /// <summary>Length-prefixed binary frames (AWS event stream), which bound themselves.</summary>
    Frames,
}

/// <summary>
/// A read-only view of an upstream response body that turns every way it can fail into the Anthropic error the client
/// should get: silence longer than the provider's timeout is a 504 (the clock restarts with every read, so a long but
/// lively stream is never cut); a reset, a short body or any transport failure a 502 naming the provider
/// (<see cref="UpstreamFault"/>); a line, or a whole reply, larger than the biggest request Anthropic accepts is a 502
/// too, because nothing that large can be part of a conversation, and holding it would let one upstream exhaust the
/// daemon's memory. The silence is timed by the clock of the <see cref="UpstreamClient"/> that received the response.
/// </summary>
public sealed class UpstreamBody(Stream inner, TimeSpan idleTimeout, string provider, UpstreamFraming framing, TimeProvider time) : ReadOnlyStream
{
    /// <summary>Anthropic's own request limit: a reply event larger than this could never be sent back in a request.</summary>
    public const int MaxLineBytes = 32 * 1024 * 1024;
    public const int MaxWholeBytes = 32 * 1024 * 1024;

    private long _sinceLineEnd;
    private long _total;

    /// <summary>The body of <paramref name="response"/>, guarded.</summary>
    public static async Task<UpstreamBody> OpenAsync(
        HttpResponseMessage response, string provider, TimeSpan idleTimeout, UpstreamFraming framing, CancellationToken cancellationToken)
    {
        try
        {
            return new UpstreamBody(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), idleTimeout, provider, framing,
                ClockOf(response));
        }
        catch (Exception ex) when (UpstreamFault.IsUpstream(ex, cancellationToken))
        {
            throw UpstreamFault.From(ex, provider);
        }
    }

    public string Provider => provider;

    /// <summary>The clock of the client that sent the request <paramref name="response"/> answers; the system's for any other.</summary>
    internal static TimeProvider ClockOf(HttpResponseMessage response) =>
        response.RequestMessage?.Options.TryGetValue(UpstreamClient.Clock, out var time) == true ? time : TimeProvider.System;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // One source for the whole body, re-armed per read: a stream reads hundreds of times, and a fresh linked
        // source each time was two allocations and a timer per event. The caller's token cancels it through a registration.
        var silence = Rearm();
        using var callerGone = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), silence);
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, silence.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AnthropicErrorException(AnthropicError.Api(
                $"Provider '{provider}' went silent for {idleTimeout.TotalSeconds:0} s mid-response.", 504), ex);
        }
        catch (Exception ex) when (UpstreamFault.IsUpstream(ex, cancellationToken))
        {
            throw UpstreamFault.From(ex, provider);
        }
        Bound(buffer.Span[..read]);
        return read;
    }

    private CancellationTokenSource? _silence;

    /// <summary>The silence timer for the next read, on <paramref name="time"/>: reset when it can be, new when it fired.</summary>
    private CancellationTokenSource Rearm()
    {
        if (_silence is null || !_silence.TryReset())
        {
            _silence?.Dispose();
            _silence = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        }
        _silence.CancelAfter(idleTimeout);
        return _silence;
    }

    private void Bound(ReadOnlySpan<byte> bytes)
    {
        switch (framing)
        {
            case UpstreamFraming.Lines:
                var lastEnd = bytes.LastIndexOfAny((byte)'\n', (byte)'\r');
                _sinceLineEnd = lastEnd < 0 ? _sinceLineEnd + bytes.Length : bytes.Length - lastEnd - 1;
                if (_sinceLineEnd > MaxLineBytes)
                    throw UpstreamFault.Broken(provider, $"sent a line of more than {MaxLineBytes / 1024 / 1024} MB without an end, which is not a stream");
                break;
            case UpstreamFraming.Whole:
                _total += bytes.Length;
                if (_total > MaxWholeBytes)
                    throw UpstreamFault.Broken(provider, $"sent a reply of more than {MaxWholeBytes / 1024 / 1024} MB");
                break;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _silence?.Dispose();
        }
        base.Dispose(disposing);
    }
}
