using System.Collections.Concurrent;
using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// Key use and refusals, tallied in memory on the request path and written in one transaction per flush: each
/// used key's <c>last_used_at</c> (accurate to the flush interval), one <c>key_use</c> audit row per key with its
/// count, one <c>block</c> row per refused key and reason, whether the key itself was refused or a request of its
/// user was (a limit, a model the groups may not use). Refusals of keys nobody holds (unknown, malformed, missing) are
/// counted under no key, so random guesses cannot grow this tally; a block row per flush, not per request, keeps a
/// client hammering a cap from writing a row for every try.
/// </summary>
internal sealed class KeyActivity
{
    private sealed class Use(Guid userId)
    {
        public readonly Guid UserId = userId;
        public long Count;
        public long LastUtcTicks;
    }

    private sealed class Tally { public long Value; }

    /// <summary>One kind of block: its reason, the key it hit (none for an unknown key), and the audit row's actor.</summary>
    private readonly record struct RefusalOf(string Reason, Guid? KeyId, string Actor);

    private readonly long[] _refusalTotals = new long[Enum.GetValues<KeyRefusal>().Length];
    private ConcurrentDictionary<Guid, Use> _uses = new();
    private ConcurrentDictionary<RefusalOf, Tally> _refusals = new();

    public void Used(Guid keyId, Guid userId, DateTimeOffset now)
    {
        var use = Volatile.Read(ref _uses).GetOrAdd(keyId, static (_, user) => new Use(user), userId);
        Interlocked.Increment(ref use.Count);
        Interlocked.Exchange(ref use.LastUtcTicks, now.UtcTicks);
    }

    public void Refused(KeyRefusal reason, Guid? keyId, string? prefix)
    {
        Interlocked.Increment(ref _refusalTotals[(int)reason]);
        Count(new RefusalOf(reason.ToString(), keyId, prefix ?? "unknown"));
    }

    /// <summary>A request of an accepted key refused for <paramref name="reason"/> (a <see cref="TeamAudit"/> block reason).</summary>
    public void Blocked(Guid keyId, Guid userId, string reason) => Count(new RefusalOf(reason, keyId, userId.ToString()));

    private void Count(RefusalOf refusal) =>
        Interlocked.Increment(ref Volatile.Read(ref _refusals).GetOrAdd(refusal, static _ => new Tally()).Value);

    /// <summary>Refusals for <paramref name="reason"/> since this replica started (for <c>/metrics</c>).</summary>
    public long RefusalTotal(KeyRefusal reason) => Interlocked.Read(ref _refusalTotals[(int)reason]);

    /// <summary>Writes what was tallied since the last flush; on failure the tallies are kept for the next one.</summary>
    public async Task FlushAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var uses = Interlocked.Exchange(ref _uses, new());
        var refusals = Interlocked.Exchange(ref _refusals, new());
        if (uses.IsEmpty && refusals.IsEmpty) return;
        try
        {
            await InTransactionAsync(database, async (connection, transaction) =>
            {
                await WriteLastUsedAsync(connection, transaction, uses, cancellationToken);
                foreach (var (keyId, use) in uses)
                    await TeamAudit.WriteAsync(connection, transaction, use.UserId.ToString(), TeamAudit.KeyUse, keyId.ToString(),
                        [("uses", use.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))], cancellationToken);
                foreach (var (refusal, tally) in refusals)
                    await TeamAudit.WriteAsync(connection, transaction, refusal.Actor, TeamAudit.Block, refusal.KeyId?.ToString(),
                        [("reason", refusal.Reason), ("count", tally.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                        cancellationToken);
                return 0;
            }, cancellationToken);
        }
        catch
        {
            Restore(uses, refusals);
            throw;
        }
    }

    private static async Task WriteLastUsedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, ConcurrentDictionary<Guid, Use> uses, CancellationToken cancellationToken)
    {
        if (uses.IsEmpty) return;
        var ids = uses.Keys.ToArray();
        var times = ids.Select(id => new DateTimeOffset(uses[id].LastUtcTicks, TimeSpan.Zero)).ToArray();
        // greatest(): another replica may have written a later use of the same key already.
        await using var update = Command(connection, """
            UPDATE api_keys SET last_used_at = greatest(api_keys.last_used_at, used.at)
            FROM unnest($1::uuid[], $2::timestamptz[]) AS used(id, at) WHERE api_keys.id = used.id
            """, transaction, Value(ids), Value(times));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Restore(ConcurrentDictionary<Guid, Use> uses, ConcurrentDictionary<RefusalOf, Tally> refusals)
    {
        foreach (var (keyId, use) in uses)
        {
            var now = Volatile.Read(ref _uses).GetOrAdd(keyId, static (_, user) => new Use(user), use.UserId);
            Interlocked.Add(ref now.Count, use.Count);
            var last = Interlocked.Read(ref use.LastUtcTicks);
            if (last > Interlocked.Read(ref now.LastUtcTicks)) Interlocked.Exchange(ref now.LastUtcTicks, last);
        }
        foreach (var (refusal, tally) in refusals)
            Interlocked.Add(ref Volatile.Read(ref _refusals).GetOrAdd(refusal, static _ => new Tally()).Value, tally.Value);
    }
}
