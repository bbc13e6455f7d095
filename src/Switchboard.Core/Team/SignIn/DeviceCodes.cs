using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// The device authorization grant's state (RFC 8628) in PostgreSQL's <c>device_codes</c>, so the replica a client
/// polls need not be the one it asked, nor the one the browser approved on. A device code is stored hashed and is
/// good for one token: the poll that finds it approved consumes it, under a row lock, so two polls racing on two
/// replicas cannot both get a token.
/// </summary>
internal sealed class DeviceCodes(NpgsqlDataSource database)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public const int IntervalSeconds = 5;

    /// <summary>RFC 8628 §3.5: a client told to slow down adds 5 seconds to its interval, and so does the server's.</summary>
    private const int SlowDownSeconds = 5;

    public sealed record Issued(string DeviceCode, string UserCode, int ExpiresIn, int Interval);

    /// <summary>A pending code as the verification page shows it.</summary>
    public sealed record Pending(Guid Id, string UserCode, string? Surface, string? UserAgent, DateTimeOffset ExpiresAt);

    public enum PollOutcome { Pending, SlowDown, Approved, Denied, Expired, Unknown }

    public sealed record Poll(PollOutcome Outcome, Guid? UserId = null, string? Surface = null, string? UserAgent = null);

    public async Task<Issued> IssueAsync(string? surface, string? userAgent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deviceCode = OpaqueToken.Generate(OpaqueToken.DeviceCode);
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        // The user code is short, so a collision with a live one is possible (if unlikely): draw again.
        for (var attempt = 0; ; attempt++)
        {
            var userCode = UserCode.Generate();
            await using var insert = Command(connection, """
                INSERT INTO device_codes (id, device_code_hash, user_code, surface, user_agent, interval_seconds, created_at, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, null, Value(Guid.CreateVersion7()), Value(OpaqueToken.Hash(deviceCode)), Value(userCode),
                Text(Clip(surface)), Text(Clip(userAgent)), Value(IntervalSeconds), Time(now), Time(now + Lifetime));
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
                return new Issued(deviceCode, userCode, (int)Lifetime.TotalSeconds, IntervalSeconds);
            }
            catch (PostgresException ex) when (ex.SqlState == UniqueViolation && attempt < 5)
            {
                // An expired code keeps its user code until swept: sweep, then draw again.
                await using var sweep = Command(connection, "DELETE FROM device_codes WHERE expires_at < $1", null, Time(now - Lifetime));
                await sweep.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    /// <summary>One poll of the token endpoint with <paramref name="deviceCode"/>.</summary>
    public Task<Poll> PollAsync(string deviceCode, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var select = Command(connection, """
                SELECT id, interval_seconds, expires_at, last_polled_at, approved_by, denied_at, consumed_at, surface, user_agent
                FROM device_codes WHERE device_code_hash = $1 FOR UPDATE
                """, transaction, Value(OpaqueToken.Hash(deviceCode)));
            var rows = await ReadAllAsync(select, row => (Id: row.GetGuid(0), Interval: row.GetInt32(1), Expires: row.GetFieldValue<DateTimeOffset>(2),
                LastPolled: NullableTime(row, 3), ApprovedBy: row.IsDBNull(4) ? (Guid?)null : row.GetGuid(4), Denied: NullableTime(row, 5),
                Consumed: NullableTime(row, 6), Surface: NullableText(row, 7), UserAgent: NullableText(row, 8)), cancellationToken);
            if (rows.Count == 0 || rows[0].Consumed is not null) return new Poll(PollOutcome.Unknown);
            var code = rows[0];
            if (code.Expires <= now) return new Poll(PollOutcome.Expired);
            if (code.Denied is not null) return new Poll(PollOutcome.Denied);
            // Polls come every interval with some jitter either way; only one well inside it is too fast.
            var tooFast = code.LastPolled is { } last && now - last < TimeSpan.FromSeconds(code.Interval * 0.8);
            var outcome = code.ApprovedBy is not null ? PollOutcome.Approved : tooFast ? PollOutcome.SlowDown : PollOutcome.Pending;
            await using var update = Command(connection, """
                UPDATE device_codes SET last_polled_at = $2, interval_seconds = interval_seconds + $3,
                       consumed_at = CASE WHEN $4 THEN $2 END
                WHERE id = $1
                """, transaction, Value(code.Id), Time(now), Value(outcome == PollOutcome.SlowDown ? SlowDownSeconds : 0),
                Value(outcome == PollOutcome.Approved));
            await update.ExecuteNonQueryAsync(cancellationToken);
            return new Poll(outcome, code.ApprovedBy, code.Surface, code.UserAgent);
        }, cancellationToken);

    /// <summary>The live, undecided code a person typed, or null.</summary>
    public async Task<Pending?> FindPendingAsync(string userCode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, """
            SELECT id, user_code, surface, user_agent, expires_at FROM device_codes
            WHERE user_code = $1 AND expires_at > $2 AND approved_by IS NULL AND denied_at IS NULL AND consumed_at IS NULL
            """, null, Value(userCode), Time(now));
        return (await ReadAllAsync(select, row => new Pending(row.GetGuid(0), row.GetString(1), NullableText(row, 2), NullableText(row, 3),
            row.GetFieldValue<DateTimeOffset>(4)), cancellationToken)).SingleOrDefault();
    }

    /// <summary>Marks the code approved by <paramref name="userId"/>; false when it is no longer pending.</summary>
    public Task<bool> ApproveAsync(Guid id, Guid userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        DecideAsync("approved_by = $3", id, now, Value(userId), cancellationToken);

    public Task<bool> DenyAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken) =>
        DecideAsync("denied_at = $2", id, now, null, cancellationToken);

    private async Task<bool> DecideAsync(string set, Guid id, DateTimeOffset now, NpgsqlParameter? who, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var update = Command(connection, $"""
            UPDATE device_codes SET {set}
            WHERE id = $1 AND expires_at > $2 AND approved_by IS NULL AND denied_at IS NULL AND consumed_at IS NULL
            """, null, who is null ? [Value(id), Time(now)] : [Value(id), Time(now), who]);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    // What a client says of itself is recorded, not trusted: bounded so it cannot fill the table.
    private static string? Clip(string? value) => value is { Length: > 200 } ? value[..200] : value;
}
