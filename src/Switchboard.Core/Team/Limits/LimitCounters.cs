using StackExchange.Redis;

namespace Switchboard.Team;

/// <summary>
/// The limits' counters in Redis, shared by every replica. <see cref="AdmitAsync"/> is one Lua script: it reads every
/// counter that applies and, only if none is at its cap, counts the request (its request-rate window and its
/// concurrency slot) in the same step, so two replicas cannot both let the last request through. Spend and tokens are
/// charged by <see cref="SettleAsync"/> once the reply has ended and its usage is known; a request is admitted while the
/// spend is below the cap, so what the guarantee allows past a cap is the requests already in flight when it is crossed.
/// A spend counter Redis does not have (a new cap, or a Redis restarted empty) is rebuilt from the ledger in PostgreSQL
/// before it is trusted. StackExchange.Redis sends each script once and then only its SHA (reloading after a restart).
/// </summary>
internal sealed class LimitCounters(IConnectionMultiplexer redis, TeamSpendLedger ledger)
{
    public const long MicrosPerUsd = 1_000_000;

    /// <summary>How long a concurrency slot lives without its release: a killed replica's slots come back after it.</summary>
    public static readonly TimeSpan SlotLease = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan RateWindowTtl = TimeSpan.FromMinutes(2);

    // KEYS: one counter per limit. ARGV: now (ms), request id, then per key: kind (s spend, r requests, t tokens,
    // c concurrency), cap, ttl (ms). Returns {status, index, used...}: 0 admitted, 1 refused (nothing counted),
    // 2 the spend counter at index is missing.
    private const string AdmitScript = """
        local now = tonumber(ARGV[1])
        local used = {}
        local refused = 0
        for i, key in ipairs(KEYS) do
          local kind, cap = ARGV[3 * i], tonumber(ARGV[3 * i + 1])
          local value
          if kind == 'c' then
            redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
            value = redis.call('ZCARD', key)
          else
            local stored = redis.call('GET', key)
            if not stored then
              if kind == 's' then return {2, i} end
              value = 0
            else
              value = tonumber(stored)
            end
          end
          if value >= cap then refused = 1 end
          used[i] = value
        end
        if refused == 0 then
          for i, key in ipairs(KEYS) do
            local kind, ttl = ARGV[3 * i], tonumber(ARGV[3 * i + 2])
            if kind == 'r' then
              redis.call('INCR', key)
              redis.call('PEXPIRE', key, ttl)
            elseif kind == 'c' then
              redis.call('ZADD', key, now + ttl, ARGV[2])
              redis.call('PEXPIRE', key, ttl)
            end
          end
        end
        local reply = {refused, 0}
        for i = 1, #used do reply[i + 2] = used[i] end
        return reply
        """;

    // KEYS: counters to settle. ARGV: request id, then per key: kind, amount, ttl (ms). A spend counter is only added to
    // while it exists: one Redis lost is rebuilt from the ledger, which holds this request too.
    private const string SettleScript = """
        for i, key in ipairs(KEYS) do
          local kind, amount, ttl = ARGV[3 * i - 1], tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
          if kind == 'c' then
            redis.call('ZREM', key, ARGV[1])
          elseif kind == 's' then
            if amount > 0 and redis.call('EXISTS', key) == 1 then redis.call('INCRBY', key, amount) end
          elseif amount > 0 then
            redis.call('INCRBY', key, amount)
            redis.call('PEXPIRE', key, ttl)
          end
        end
        return 0
        """;

    /// <summary>
    /// Checks and counts the request against <paramref name="limits"/> (at least one). Throws
    /// <see cref="LimitsUnreadableException"/> when Redis cannot answer (at once while it is disconnected, rather than
    /// queue the request behind the reconnection), or a spend counter must be rebuilt and PostgreSQL cannot answer.
    /// </summary>
    public async Task<LimitAdmission> AdmitAsync(IReadOnlyList<TeamLimit> limits, Guid requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected) throw new LimitsUnreadableException("Redis is not connected");
        try
        {
            return await CountAsync(limits, requestId, now, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new LimitsUnreadableException($"Redis did not answer ({ex.GetType().Name})", ex);
        }
        catch (TeamStoreException ex)
        {
            throw new LimitsUnreadableException("a spend counter Redis lost cannot be rebuilt: PostgreSQL does not answer", ex);
        }
    }

    private async Task<LimitAdmission> CountAsync(IReadOnlyList<TeamLimit> limits, Guid requestId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[limits.Count];
        var values = new RedisValue[2 + 3 * limits.Count];
        values[0] = now.ToUnixTimeMilliseconds();
        values[1] = requestId.ToString("N");
        for (var i = 0; i < limits.Count; i++)
        {
            var limit = limits[i];
            keys[i] = KeyOf(limit, now);
            values[2 + 3 * i] = KindCode(limit.Kind);
            values[3 + 3 * i] = LimitAdmission.CapOf(limit);
            values[4 + 3 * i] = (long)TtlOf(limit, now).TotalMilliseconds;
        }
        var database = redis.GetDatabase();
        // Each pass either answers or rebuilds one missing spend counter; there are at most as many as limits.
        for (var pass = 0; pass <= limits.Count; pass++)
        {
            var reply = (RedisResult[])(await database.ScriptEvaluateAsync(AdmitScript, keys, values))!;
            var status = (int)reply[0];
            if (status == 2)
            {
                var missing = (int)reply[1] - 1;
                await RebuildSpendAsync(database, limits[missing], keys[missing], now, cancellationToken);
                continue;
            }
            var used = new long[limits.Count];
            for (var i = 0; i < used.Length; i++) used[i] = (long)reply[i + 2];
            return new LimitAdmission(requestId, now, limits, keys, used, Admitted: status == 0);
        }
        throw new InvalidOperationException("spend counters kept disappearing while they were being rebuilt");
    }

    /// <summary>
    /// After the reply: frees the request's concurrency slots and charges its <paramref name="tokens"/> to the
    /// token-rate windows of <paramref name="now"/> and its <paramref name="costUsd"/> to the spend windows it was
    /// admitted in (the ledger files a request under its start time too).
    /// </summary>
    public async Task SettleAsync(LimitAdmission admission, long tokens, decimal costUsd, DateTimeOffset now)
    {
        var limits = admission.Limits;
        var keys = new RedisKey[limits.Count];
        var values = new RedisValue[1 + 3 * limits.Count];
        values[0] = admission.RequestId.ToString("N");
        for (var i = 0; i < limits.Count; i++)
        {
            var limit = limits[i];
            keys[i] = limit.Kind == TeamLimit.TokensPerMinute ? KeyOf(limit, now) : admission.Keys[i];
            values[1 + 3 * i] = KindCode(limit.Kind);
            values[2 + 3 * i] = limit.Kind switch
            {
                TeamLimit.SpendUsd => (long)Math.Round(costUsd * MicrosPerUsd),
                TeamLimit.TokensPerMinute => tokens,
                _ => 0,
            };
            values[3 + 3 * i] = (long)TtlOf(limit, now).TotalMilliseconds;
        }
        await redis.GetDatabase().ScriptEvaluateAsync(SettleScript, keys, values);
    }

    /// <summary>
    /// The current spend in micro-USD against each spend limit of <paramref name="limits"/> (in their order), rebuilding
    /// a missing counter from the ledger; for <c>/api/oauth/usage</c>, which counts nothing. Throws as <see cref="AdmitAsync"/>.
    /// </summary>
    public async Task<long[]> SpentAsync(IReadOnlyList<TeamLimit> limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected) throw new LimitsUnreadableException("Redis is not connected");
        try
        {
            var database = redis.GetDatabase();
            var spent = new long[limits.Count];
            for (var i = 0; i < limits.Count; i++)
            {
                var key = KeyOf(limits[i], now);
                var value = await database.StringGetAsync(key);
                if (value.IsNull)
                {
                    await RebuildSpendAsync(database, limits[i], key, now, cancellationToken);
                    value = await database.StringGetAsync(key);
                }
                spent[i] = (long)value;
            }
            return spent;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or TeamStoreException)
        {
            throw new LimitsUnreadableException($"the spend counters cannot be read ({ex.GetType().Name})", ex);
        }
    }

    /// <summary>The counter's key: the subject, and for windows the window it counts (a spend period, a UTC minute).</summary>
    public static string KeyOf(TeamLimit limit, DateTimeOffset now)
    {
        var subject = $"{limit.SubjectKind}:{limit.SubjectId:N}";
        return limit.Kind switch
        {
            TeamLimit.SpendUsd => $"sb:limit:spend:{subject}:{SpendPeriod.Of(limit.Period!, now).Name}",
            TeamLimit.RequestsPerMinute => $"sb:limit:rpm:{subject}:{now.ToUnixTimeSeconds() / 60}",
            TeamLimit.TokensPerMinute => $"sb:limit:tpm:{subject}:{now.ToUnixTimeSeconds() / 60}",
            _ => $"sb:limit:inflight:{subject}",
        };
    }

    private async Task RebuildSpendAsync(IDatabase database, TeamLimit limit, RedisKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var period = SpendPeriod.Of(limit.Period!, now);
        var spent = await ledger.SpentAsync(limit.SubjectKind, limit.SubjectId, period.Start, period.End, cancellationToken);
        // NX: another replica may have rebuilt it (and charged it since); its value stands.
        await database.StringSetAsync(key, (long)Math.Round(spent * MicrosPerUsd), TtlOf(limit, now), When.NotExists);
    }

    private static string KindCode(string kind) => kind switch
    {
        TeamLimit.SpendUsd => "s",
        TeamLimit.RequestsPerMinute => "r",
        TeamLimit.TokensPerMinute => "t",
        _ => "c",
    };

    /// <summary>A window's counter outlives its window a little (a late charge still lands); a slot lives its lease.</summary>
    private static TimeSpan TtlOf(TeamLimit limit, DateTimeOffset now) => limit.Kind switch
    {
        TeamLimit.SpendUsd => SpendPeriod.Of(limit.Period!, now).End - now + TimeSpan.FromHours(1),
        TeamLimit.ConcurrentRequests => SlotLease,
        _ => RateWindowTtl,
    };
}
