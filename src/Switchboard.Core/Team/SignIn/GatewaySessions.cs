using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// Sessions a finished sign-in opens (<c>gateway_sessions</c>) and their rotating refresh tokens
/// (<c>refresh_tokens</c>). Every access token names its session, so ending the session ends the tokens. A refresh
/// token is good once: using it gives a new one; presenting a used one again means it was copied, and the whole
/// session is revoked (OAuth 2.0 Security BCP §4.14), so whoever holds either copy must sign in again. Callers tell
/// every replica about a revoked session (<see cref="TeamInvalidation"/>), as they do for a revoked key.
/// </summary>
internal sealed class GatewaySessions(NpgsqlDataSource database)
{
    public const string SignIn = "sign_in";

    public sealed record Opened(Guid SessionId, string RefreshToken);

    public enum RefreshOutcome { Rotated, Replayed, Invalid }

    public sealed record Refresh(RefreshOutcome Outcome, Guid SessionId = default, Guid UserId = default, string? RefreshToken = null);

    /// <summary>Opens a session for <paramref name="userId"/> and writes its <c>sign_in</c> audit row, in one transaction.</summary>
    public Task<Opened> OpenAsync(Guid userId, string method, string? surface, string? userAgent, TimeSpan refreshLifetime,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            var sessionId = Guid.CreateVersion7();
            await using (var insert = Command(connection, """
                INSERT INTO gateway_sessions (id, user_id, surface, user_agent, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)
                """, transaction, Value(sessionId), Value(userId), Text(surface), Text(userAgent), Time(now)))
                await insert.ExecuteNonQueryAsync(cancellationToken);
            var refresh = await InsertRefreshAsync(connection, transaction, sessionId, refreshLifetime, now, cancellationToken);
            await TeamAudit.WriteAsync(connection, transaction, userId.ToString(), SignIn, sessionId.ToString(),
                [("method", method), ("surface", surface)], cancellationToken);
            return new Opened(sessionId, refresh);
        }, cancellationToken);

    /// <summary>Trades <paramref name="refreshToken"/> for a new one, or says why not.</summary>
    public Task<Refresh> RefreshAsync(string refreshToken, TimeSpan refreshLifetime, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var select = Command(connection, """
                SELECT r.id, r.session_id, r.expires_at, r.used_at, s.revoked_at, s.user_id, u.disabled_at
                FROM refresh_tokens r JOIN gateway_sessions s ON s.id = r.session_id JOIN users u ON u.id = s.user_id
                WHERE r.hash = $1 FOR UPDATE OF r, s
                """, transaction, Value(OpaqueToken.Hash(refreshToken)));
            var rows = await ReadAllAsync(select, row => (Id: row.GetGuid(0), Session: row.GetGuid(1), Expires: row.GetFieldValue<DateTimeOffset>(2),
                Used: NullableTime(row, 3), Revoked: NullableTime(row, 4), User: row.GetGuid(5), Disabled: NullableTime(row, 6)), cancellationToken);
            if (rows.Count == 0) return new Refresh(RefreshOutcome.Invalid);
            var token = rows[0];
            if (token.Used is not null)
            {
                await RevokeInAsync(connection, transaction, token.Session, "refresh_token_replayed", cancellationToken);
                return new Refresh(RefreshOutcome.Replayed, token.Session, token.User);
            }
            if (token.Revoked is not null || token.Disabled is not null || token.Expires <= now) return new Refresh(RefreshOutcome.Invalid, token.Session, token.User);
            await using (var use = Command(connection, "UPDATE refresh_tokens SET used_at = $2 WHERE id = $1", transaction, Value(token.Id), Time(now)))
                await use.ExecuteNonQueryAsync(cancellationToken);
            await using (var seen = Command(connection, "UPDATE gateway_sessions SET last_seen_at = $2 WHERE id = $1", transaction, Value(token.Session), Time(now)))
                await seen.ExecuteNonQueryAsync(cancellationToken);
            var next = await InsertRefreshAsync(connection, transaction, token.Session, refreshLifetime, now, cancellationToken);
            return new Refresh(RefreshOutcome.Rotated, token.Session, token.User, next);
        }, cancellationToken);

    /// <summary>Ends a session; false when it was already ended or never was.</summary>
    public Task<bool> RevokeAsync(Guid sessionId, string why, CancellationToken cancellationToken) =>
        InTransactionAsync(database, (connection, transaction) => RevokeInAsync(connection, transaction, sessionId, why, cancellationToken), cancellationToken);

    /// <summary>The session a refresh token belongs to (used or not), or null.</summary>
    public async Task<Guid?> SessionOfRefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, "SELECT session_id FROM refresh_tokens WHERE hash = $1", null, Value(OpaqueToken.Hash(refreshToken)));
        return await select.ExecuteScalarAsync(cancellationToken) is Guid session ? session : null;
    }

    private static async Task<bool> RevokeInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sessionId, string why, CancellationToken cancellationToken)
    {
        await using var revoke = Command(connection,
            "UPDATE gateway_sessions SET revoked_at = now(), revoked_why = $2 WHERE id = $1 AND revoked_at IS NULL", transaction,
            Value(sessionId), Value(why));
        return await revoke.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<string> InsertRefreshAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid sessionId,
        TimeSpan lifetime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var token = OpaqueToken.Generate(OpaqueToken.RefreshToken);
        await using var insert = Command(connection, """
            INSERT INTO refresh_tokens (id, session_id, hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)
            """, transaction, Value(Guid.CreateVersion7()), Value(sessionId), Value(OpaqueToken.Hash(token)), Time(now), Time(now + lifetime));
        await insert.ExecuteNonQueryAsync(cancellationToken);
        return token;
    }
}
