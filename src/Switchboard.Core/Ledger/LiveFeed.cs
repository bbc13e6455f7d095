using System.Threading.Channels;

namespace Switchboard.Ledger;

/// <summary>
/// Hands each finished request to whoever watches (the dashboard's live log). A watcher that falls behind loses its
/// oldest unread requests, never slows the request path.
/// </summary>
public sealed class LiveFeed
{
    public const int WatcherBacklog = 500;
    private readonly Lock _lock = new();
    private Channel<RequestRecord>[] _watchers = [];

    public int Watchers => _watchers.Length;

    public void Publish(RequestRecord record)
    {
        foreach (var watcher in _watchers) watcher.Writer.TryWrite(record);
    }

    /// <summary>Requests finished from now on, until <paramref name="cancellationToken"/> ends the watch.</summary>
    public async IAsyncEnumerable<RequestRecord> WatchAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<RequestRecord>(new BoundedChannelOptions(WatcherBacklog)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        lock (_lock) _watchers = [.. _watchers, channel];
        try
        {
            await foreach (var record in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return record;
        }
        finally
        {
            lock (_lock) _watchers = _watchers.Where(watcher => watcher != channel).ToArray();
        }
    }
}
