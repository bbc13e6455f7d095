using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Switchboard.Hosting.Team;

/// <summary>
/// Each replica's heartbeat in Redis, and the list of live ones for <c>/health</c>. A sorted set holds replica ids by
/// last beat (milliseconds), a hash holds each one's config hash and address; a replica unheard for
/// <see cref="Lifetime"/> is no longer listed (and leaves the set the next time anyone looks).
/// </summary>
internal sealed partial class TeamPeers(IConnectionMultiplexer redis, string replicaId, Uri address, Func<string> configHash, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);
    private static readonly RedisKey Beats = "switchboard:replicas";
    private static readonly RedisKey Details = "switchboard:replicas:details";

    /// <summary>Beats now and every <see cref="Interval"/> until <paramref name="stopping"/>; then takes itself off the list.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do await BeatAsync();
        while (await Tick(timer, stopping));
        try
        {
            await redis.GetDatabase().SortedSetRemoveAsync(Beats, replicaId);
            await redis.GetDatabase().HashDeleteAsync(Details, replicaId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException) { LogNotWritten(logger, ex.Message); }
    }

    /// <summary>Every live replica, this one included, by id.</summary>
    public async Task<List<TeamPeer>?> ListAsync()
    {
        try
        {
            var database = redis.GetDatabase();
            var oldest = (time.GetUtcNow() - Lifetime).ToUnixTimeMilliseconds();
            var ids = await database.SortedSetRangeByScoreAsync(Beats, oldest, double.PositiveInfinity);
            if (ids.Length == 0) return [];
            var details = await database.HashGetAsync(Details, ids);
            var mine = configHash();
            var peers = new List<TeamPeer>(ids.Length);
            for (var i = 0; i < ids.Length; i++)
            {
                var parts = details[i].ToString().Split('\n', 2);
                var hash = parts[0];
                peers.Add(new TeamPeer(ids[i].ToString(), parts.Length == 2 ? parts[1] : "", hash, hash == mine));
            }
            peers.Sort((a, b) => string.CompareOrdinal(a.Replica, b.Replica));
            _ = database.SortedSetRemoveRangeByScoreAsync(Beats, double.NegativeInfinity, oldest, Exclude.Stop, CommandFlags.FireAndForget);
            return peers;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return null;
        }
    }

    private async Task BeatAsync()
    {
        try
        {
            var database = redis.GetDatabase();
            await database.HashSetAsync(Details, replicaId, $"{configHash()}\n{address}");
            await database.SortedSetAddAsync(Beats, replicaId, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException) { LogNotWritten(logger, ex.Message); }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stopping)
    {
        try { return await timer.WaitForNextTickAsync(stopping); }
        catch (OperationCanceledException) { return false; }
    }

    [LoggerMessage(EventIds.TeamHeartbeatNotWritten, LogLevel.Warning,
        "Team mode: this replica's heartbeat did not reach Redis ({Reason}); its peers will not list it until it does")]
    private static partial void LogNotWritten(ILogger logger, string reason);
}
