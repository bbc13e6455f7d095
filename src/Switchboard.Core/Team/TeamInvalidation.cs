using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Switchboard.Team;

/// <summary>
/// Tells every replica that a key, user or group changed, so what each holds in memory about it goes at once: a
/// revocation or a disabled user takes effect everywhere within a Redis round trip, not after a cache lifetime.
/// Changes travel on one Redis pub/sub channel as the changed id. Pub/sub keeps nothing for a replica that was not
/// listening, so when the connection comes back every cache is dropped whole: whatever was missed is read afresh.
/// While Redis is down, each cache's own short lifetime (<c>team.keyCacheSeconds</c>) bounds how stale it can be.
/// </summary>
internal sealed partial class TeamInvalidation
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("switchboard:team:changed");

    private readonly IConnectionMultiplexer _redis;
    private readonly IReadOnlyList<ITeamCache> _caches;
    private readonly ILogger _logger;

    public TeamInvalidation(IConnectionMultiplexer redis, IReadOnlyList<ITeamCache> caches, ILogger logger)
    {
        _redis = redis;
        _caches = caches;
        _logger = logger;
    }

    /// <summary>Changes received from Redis since start (this replica's own included): for tests and /metrics.</summary>
    public long Received => Interlocked.Read(ref _received);
    private long _received;

    /// <summary>Starts listening. A replica that starts with Redis down subscribes once the connection is made.</summary>
    public async Task SubscribeAsync()
    {
        _redis.ConnectionRestored += (_, args) =>
        {
            // Only the subscription connection matters: what was published while it was gone never arrives.
            if (args.ConnectionType != ConnectionType.Subscription) return;
            foreach (var cache in _caches) cache.InvalidateAll();
            LogRestored(_logger);
        };
        try
        {
            await _redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => Apply(message));
        }
        catch (RedisException ex)
        {
            // The multiplexer re-subscribes by itself once it connects; until then the cache lifetime is the bound.
            LogNotSubscribed(_logger, ex.Message);
        }
    }

    /// <summary>
    /// Drops <paramref name="id"/> here at once and tells the other replicas. False when Redis did not take the
    /// message: the others then notice within their cache lifetime.
    /// </summary>
    public async Task<bool> PublishAsync(Guid id)
    {
        foreach (var cache in _caches) cache.Invalidate(id);
        try
        {
            await _redis.GetSubscriber().PublishAsync(Channel, id.ToString("N"));
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotPublished(_logger, ex.Message);
            return false;
        }
    }

    private void Apply(RedisValue message)
    {
        Interlocked.Increment(ref _received);
        if (Guid.TryParseExact(message.ToString(), "N", out var id))
            foreach (var cache in _caches) cache.Invalidate(id);
        else
            foreach (var cache in _caches) cache.InvalidateAll();
    }

    [LoggerMessage(EventIds.TeamInvalidationResubscribed, LogLevel.Information,
        "Team mode: Redis is back; cached keys and limits dropped, since changes made meanwhile were not heard")]
    private static partial void LogRestored(ILogger logger);

    [LoggerMessage(EventIds.TeamInvalidationNotSubscribed, LogLevel.Warning,
        "Team mode: not yet listening for key and user changes on Redis ({Reason}); cached entries expire on their own meanwhile")]
    private static partial void LogNotSubscribed(ILogger logger, string reason);

    [LoggerMessage(EventIds.TeamInvalidationNotPublished, LogLevel.Warning,
        "Team mode: a change could not be announced on Redis ({Reason}); other replicas see it when their cache entries expire")]
    private static partial void LogNotPublished(ILogger logger, string reason);
}
