using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Switchboard.Forwarding;
using Switchboard.Routing;

namespace Switchboard.Hosting.Team;

/// <summary>
/// Issue 17, item 8: a target cooling down on one replica cools down on all. When this replica cools a target it
/// publishes the target and the end time on <see cref="Channel"/> and leaves a key with that lifetime (so a replica
/// starting meanwhile learns it); the others adopt it into their own <see cref="TargetHealth"/>. The request path asks
/// Redis nothing: what is shared arrives in the background. With Redis down each replica keeps its own cool-downs.
/// </summary>
internal sealed partial class SharedCooldowns(IConnectionMultiplexer redis, TargetHealth health, string replicaId, TimeProvider time, ILogger logger)
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("switchboard:cooldowns");
    private const string KeyPrefix = "switchboard:cooldown:";

    public async Task StartAsync()
    {
        health.CooledDown += Share;
        try
        {
            await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => Adopt(message));
            foreach (var endpoint in redis.GetEndPoints())
                await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: KeyPrefix + "*"))
                    Adopt(await redis.GetDatabase().StringGetAsync(key));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotShared(logger, ex.Message);
        }
    }

    private void Share(ModelTarget target, DateTimeOffset until)
    {
        var lifetime = until - time.GetUtcNow();
        if (lifetime <= TimeSpan.Zero) return;
        // provider and model last: a model name may hold anything but a line break.
        RedisValue message = $"{replicaId}\n{until.ToUnixTimeMilliseconds()}\n{target.Provider}\n{target.Model}";
        try
        {
            var database = redis.GetDatabase();
            database.StringSet(KeyPrefix + target, message, lifetime, flags: CommandFlags.FireAndForget);
            database.Publish(Channel, message, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotShared(logger, ex.Message);
        }
    }

    private void Adopt(RedisValue message)
    {
        var parts = message.ToString().Split('\n', 4);
        if (parts.Length != 4 || parts[0] == replicaId || !long.TryParse(parts[1], out var until)) return;
        health.CoolDownUntil(new ModelTarget(parts[2], parts[3]), DateTimeOffset.FromUnixTimeMilliseconds(until));
    }

    [LoggerMessage(EventIds.TeamCooldownsNotShared, LogLevel.Warning,
        "Team mode: cool-downs are not shared with other replicas just now ({Reason}); this replica keeps its own")]
    private static partial void LogNotShared(ILogger logger, string reason);
}
