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

    /// <summary>Starts a watch at once: every request that finishes from now until it is disposed is in its reader.</summary>
    public Watch Subscribe()
    {
        var channel = Channel.CreateBounded<RequestRecord>(new BoundedChannelOptions(WatcherBacklog)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        lock (_lock) _watchers = [.. _watchers, channel];
        return new Watch(this, channel);
    }

    public sealed class Watch(LiveFeed feed, Channel<RequestRecord> channel) : IDisposable
    {
        public ChannelReader<RequestRecord> Reader => channel.Reader;

        public void Dispose()
        {
            lock (feed._lock) feed._watchers = feed._watchers.Where(watcher => watcher != channel).ToArray();
        }
    }
}
