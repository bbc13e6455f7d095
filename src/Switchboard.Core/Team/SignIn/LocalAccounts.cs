using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// Sign-in without an identity provider: a user's password (stored as a <see cref="PasswordHash"/>) and the one-time
/// invite links an admin hands a new member to set it. Every sign-in attempt, good or bad, writes a <c>sign_in</c>
/// audit row; no row ever holds a password.
/// </summary>
internal sealed class LocalAccounts(NpgsqlDataSource database)
{
    public static readonly TimeSpan InviteLifetime = TimeSpan.FromDays(7);

    public sealed record Account(Guid UserId, string Email, string? PasswordHash, DateTimeOffset? DisabledAt);

    public async Task<Account?> FindAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection,
            "SELECT id, email, password_hash, disabled_at FROM users WHERE lower(email) = lower($1)", null, Value(email.Trim()));
        return (await ReadAllAsync(select, row => new Account(row.GetGuid(0), row.GetString(1), NullableText(row, 2), NullableTime(row, 3)),
            cancellationToken)).FirstOrDefault();
    }

    /// <summary>Sets the user's password (already checked against <see cref="PasswordHash.Problem"/>), audited.</summary>
    public Task SetPasswordAsync(Guid userId, string password, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await SetInAsync(connection, transaction, userId, password, cancellationToken);
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, userId.ToString(), [("change", "password_set")], cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>A new invite link's token for <paramref name="userId"/>; it works once, within <see cref="InviteLifetime"/>.</summary>
    public Task<(string Token, DateTimeOffset ExpiresAt)> InviteAsync(Guid userId, string actor, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            var token = OpaqueToken.Generate(OpaqueToken.Invite);
            var expires = now + InviteLifetime;
            await using (var insert = Command(connection,
                "INSERT INTO invites (id, user_id, hash, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)", transaction,
                Value(Guid.CreateVersion7()), Value(userId), Value(OpaqueToken.Hash(token)), Value(actor), Time(now), Time(expires)))
                await insert.ExecuteNonQueryAsync(cancellationToken);
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, userId.ToString(), [("change", "invite_created")], cancellationToken);
            return (token, expires);
        }, cancellationToken);

    /// <summary>The email an unused, live invite is for, or null.</summary>
    public async Task<string?> InvitedEmailAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, """
            SELECT u.email FROM invites i JOIN users u ON u.id = i.user_id
            WHERE i.hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND u.disabled_at IS NULL
            """, null, Value(OpaqueToken.Hash(token)), Time(now));
        return await select.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Uses the invite to set its user's password; the email it was for, or null when it is used, expired or unknown.</summary>
    public Task<string?> AcceptInviteAsync(string token, string password, DateTimeOffset now, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var use = Command(connection, """
                UPDATE invites i SET used_at = $2 FROM users u
                WHERE i.hash = $1 AND i.used_at IS NULL AND i.expires_at > $2 AND u.id = i.user_id AND u.disabled_at IS NULL
                RETURNING u.id, u.email
                """, transaction, Value(OpaqueToken.Hash(token)), Time(now));
            var used = await ReadAllAsync(use, row => (Id: row.GetGuid(0), Email: row.GetString(1)), cancellationToken);
            if (used.Count == 0) return null;
            await SetInAsync(connection, transaction, used[0].Id, password, cancellationToken);
            await TeamAudit.WriteAsync(connection, transaction, used[0].Id.ToString(), TeamAudit.AdminChange, used[0].Id.ToString(),
                [("change", "password_set_by_invite")], cancellationToken);
            return used[0].Email;
        }, cancellationToken);

    /// <summary>A <c>sign_in</c> audit row for an attempt on the verification page.</summary>
    public async Task AuditAsync(string actor, string? subject, string outcome, string method, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await TeamAudit.WriteAsync(connection, null, actor, GatewaySessions.SignIn, subject, [("outcome", outcome), ("method", method)], cancellationToken);
    }

    private static async Task SetInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string password, CancellationToken cancellationToken)
    {
        await using var update = Command(connection, "UPDATE users SET password_hash = $2 WHERE id = $1", transaction,
            Value(userId), Value(PasswordHash.Create(password)));
        if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new TeamStoreException($"There is no user with id {userId}.", failure: TeamStoreFailure.NotFound);
    }
}
