using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// The <c>users</c> table. Every change writes its audit row in the same transaction. Disabling a user changes
/// what <see cref="TeamAuthenticator"/> answers: the caller also tells every replica (<c>Invalidate(userId)</c>).
/// </summary>
internal sealed partial class TeamUsers(NpgsqlDataSource database)
{
    private const string Columns = "id, email, display_name, role, disabled_at, created_at";

    public Task<TeamUser> CreateAsync(string email, string displayName, string role, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var insert = Command(connection,
                $"INSERT INTO users (id, email, display_name, role) VALUES ($1, $2, $3, $4) RETURNING {Columns}", transaction,
                Value(Guid.CreateVersion7()), Value(email), Value(displayName), Value(role));
            TeamUser user;
            try { user = (await ReadAllAsync(insert, Read, cancellationToken))[0]; }
            catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
            {
                throw new TeamStoreException($"A user with email {email} already exists.", ex, TeamStoreFailure.Conflict);
            }
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, user.Id.ToString(),
                [("change", "user_created"), ("email", email), ("role", role)], cancellationToken);
            return user;
        }, cancellationToken);

    /// <summary>Disables the user (their keys stop working); disabling a disabled user changes nothing and writes nothing.</summary>
    public Task<TeamUser> DisableAsync(Guid userId, string actor, CancellationToken cancellationToken) =>
        SetDisabledAsync(userId, disabled: true, actor, cancellationToken);

    public Task<TeamUser> EnableAsync(Guid userId, string actor, CancellationToken cancellationToken) =>
        SetDisabledAsync(userId, disabled: false, actor, cancellationToken);

    public async Task<TeamUser?> FindAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM users WHERE id = $1", null, Value(userId));
        return (await ReadAllAsync(select, Read, cancellationToken)).SingleOrDefault();
    }

    public async Task<TeamUser?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM users WHERE email = $1", null, Value(email));
        return (await ReadAllAsync(select, Read, cancellationToken)).SingleOrDefault();
    }

    private Task<TeamUser> SetDisabledAsync(Guid userId, bool disabled, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            // Only a row that changes comes back, so repeating the call writes no second audit row.
            await using var update = Command(connection, $"""
                UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END
                WHERE id = $1 AND (disabled_at IS NOT NULL) <> $2 RETURNING {Columns}
                """, transaction, Value(userId), Value(disabled));
            var changed = (await ReadAllAsync(update, Read, cancellationToken)).SingleOrDefault();
            if (changed is null)
                return await FindInAsync(connection, transaction, userId, cancellationToken);
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, userId.ToString(),
                [("change", disabled ? "user_disabled" : "user_enabled")], cancellationToken);
            return changed;
        }, cancellationToken);

    private static async Task<TeamUser> FindInAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, $"SELECT {Columns} FROM users WHERE id = $1", transaction, Value(userId));
        return (await ReadAllAsync(select, Read, cancellationToken)).SingleOrDefault()
            ?? throw new TeamStoreException($"There is no user with id {userId}.", failure: TeamStoreFailure.NotFound);
    }

    private static TeamUser Read(NpgsqlDataReader row) =>
        new(row.GetGuid(0), row.GetString(1), row.GetString(2), row.GetString(3), NullableTime(row, 4), row.GetFieldValue<DateTimeOffset>(5));
}
