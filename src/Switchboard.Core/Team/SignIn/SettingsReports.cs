using System.Collections.Concurrent;
using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// The <c>x-claude-code-managed-settings-checksum</c> values signed-in sessions send, so an admin can see machines
/// whose settings are stale, edited or missing (gateway protocol, "Managed settings"). Tallied in memory on the
/// request path and written with key use (<see cref="TeamAuthenticator.FlushActivityAsync"/>), one upsert per user and
/// value. The values are plain SHA-256s of settings that may hold secrets, so they are never logged.
/// </summary>
internal sealed class SettingsReports
{
    private sealed class Seen
    {
        public long Count;
        public long LastUtcTicks;
    }

    private ConcurrentDictionary<(Guid User, string Checksum), Seen> _seen = new();

    // A value is a sha256: and 64 hex digits; anything longer is not one, and is not kept.
    private const int LongestChecksum = 80;

    public void Report(Guid userId, string? checksum, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(checksum) || checksum.Length > LongestChecksum) return;
        var seen = Volatile.Read(ref _seen).GetOrAdd((userId, checksum), static _ => new Seen());
        Interlocked.Increment(ref seen.Count);
        Interlocked.Exchange(ref seen.LastUtcTicks, now.UtcTicks);
    }

    public async Task FlushAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var seen = Interlocked.Exchange(ref _seen, new());
        if (seen.IsEmpty) return;
        try
        {
            await InTransactionAsync(database, async (connection, transaction) =>
            {
                foreach (var ((user, checksum), tally) in seen)
                {
                    var last = new DateTimeOffset(Interlocked.Read(ref tally.LastUtcTicks), TimeSpan.Zero);
                    await using var upsert = Command(connection, """
                        INSERT INTO settings_reports (user_id, checksum, first_seen, last_seen, requests) VALUES ($1, $2, $3, $3, $4)
                        ON CONFLICT (user_id, checksum) DO UPDATE
                        SET last_seen = greatest(settings_reports.last_seen, EXCLUDED.last_seen), requests = settings_reports.requests + EXCLUDED.requests
                        """, transaction, Value(user), Value(checksum), Time(last), Value(Interlocked.Read(ref tally.Count)));
                    await upsert.ExecuteNonQueryAsync(cancellationToken);
                }
                return true;
            }, cancellationToken);
        }
        catch
        {
            // Kept for the next flush, counted once more.
            foreach (var (key, tally) in seen)
            {
                var kept = Volatile.Read(ref _seen).GetOrAdd(key, static _ => new Seen());
                Interlocked.Add(ref kept.Count, tally.Count);
                Interlocked.Exchange(ref kept.LastUtcTicks, Math.Max(kept.LastUtcTicks, tally.LastUtcTicks));
            }
            throw;
        }
    }

    /// <summary>Every value reported, by user: for the admin view.</summary>
    public static async Task<List<(Guid UserId, string Email, string Checksum, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Requests)>> ListAsync(
        NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, """
            SELECT r.user_id, u.email, r.checksum, r.first_seen, r.last_seen, r.requests
            FROM settings_reports r JOIN users u ON u.id = r.user_id ORDER BY u.email, r.last_seen DESC
            """);
        return await ReadAllAsync(select, row => (row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetFieldValue<DateTimeOffset>(3),
            row.GetFieldValue<DateTimeOffset>(4), row.GetInt64(5)), cancellationToken);
    }
}
