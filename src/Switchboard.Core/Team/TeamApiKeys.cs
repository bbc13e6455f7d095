using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// The <c>api_keys</c> table: a key is made here, shown once and stored as its SHA-256 (see <see cref="ApiKeySecret"/>);
/// listings show its prefix. Revoking or rotating changes what <see cref="TeamAuthenticator"/> answers: the caller
/// also tells every replica (<c>Invalidate(keyId)</c>). Every change writes its audit row in its transaction.
/// </summary>
internal sealed partial class TeamApiKeys(NpgsqlDataSource database)
{
    private const string Columns = "id, user_id, prefix, name, scopes, expires_at, revoked_at, last_used_at, created_at";

    // The prefix has 31^8 (about 2^40) values: two keys sharing one is rare but possible, so try again a few times.
    private const int PrefixAttempts = 3;

    public Task<CreatedApiKey> CreateAsync(
        Guid userId, string name, IReadOnlyList<string> scopes, DateTimeOffset? expiresAt, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            var created = await InsertAsync(connection, transaction, userId, name, scopes, expiresAt, cancellationToken);
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, created.Info.Id.ToString(),
                [("change", "key_created"), ("user", userId.ToString()), ("prefix", created.Info.Prefix)], cancellationToken);
            return created;
        }, cancellationToken);

    /// <summary>A user's keys, newest first, revoked ones included (a listing says which).</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM api_keys WHERE user_id = $1 ORDER BY created_at DESC, id DESC", null, Value(userId));
        return await ReadAllAsync(select, Read, cancellationToken);
    }

    public async Task<ApiKeyInfo?> FindAsync(Guid keyId, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM api_keys WHERE id = $1", null, Value(keyId));
        return (await ReadAllAsync(select, Read, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Revokes the key; revoking a revoked key changes nothing and writes nothing.</summary>
    public Task<ApiKeyInfo> RevokeAsync(Guid keyId, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            var (revoked, changed) = await RevokeInAsync(connection, transaction, keyId, cancellationToken);
            if (changed)
                await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, keyId.ToString(),
                    [("change", "key_revoked"), ("user", revoked.UserId.ToString()), ("prefix", revoked.Prefix)], cancellationToken);
            return revoked;
        }, cancellationToken);

    /// <summary>
    /// A new key for the same user, name, scopes and expiry, and the old one revoked, in one transaction: there is
    /// no moment when both work or neither exists. A revoked key cannot be rotated (create a new one instead).
    /// </summary>
    public Task<CreatedApiKey> RotateAsync(Guid keyId, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            var (old, changed) = await RevokeInAsync(connection, transaction, keyId, cancellationToken);
            if (!changed)
                throw new TeamStoreException($"Key {old.Shown} is revoked, so it cannot be rotated: create a new key for the user instead.", failure: TeamStoreFailure.Conflict);
            var created = await InsertAsync(connection, transaction, old.UserId, old.Name, old.Scopes, old.ExpiresAt, cancellationToken);
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, keyId.ToString(),
                [("change", "key_rotated"), ("user", old.UserId.ToString()), ("prefix", old.Prefix),
                 ("new_key", created.Info.Id.ToString()), ("new_prefix", created.Info.Prefix)], cancellationToken);
            return created;
        }, cancellationToken);

    private static async Task<CreatedApiKey> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string name, IReadOnlyList<string> scopes,
        DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (key, prefix, hash) = ApiKeySecret.Generate();
            // A savepoint, so a prefix that is taken rolls back this insert only, not the caller's transaction.
            await transaction.SaveAsync("key_insert", cancellationToken);
            await using var insert = Command(connection, $"""
                INSERT INTO api_keys (id, user_id, prefix, hash, name, scopes, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {Columns}
                """, transaction,
                Value(Guid.CreateVersion7()), Value(userId), Value(prefix), Value(hash), Value(name), Value(scopes.ToArray()), Time(expiresAt));
            try
            {
                return new CreatedApiKey(key, (await ReadAllAsync(insert, Read, cancellationToken))[0]);
            }
            catch (PostgresException ex) when (ex.SqlState == ForeignKeyViolation)
            {
                throw new TeamStoreException($"There is no user with id {userId}.", ex, TeamStoreFailure.NotFound);
            }
            catch (PostgresException ex) when (ex.SqlState == UniqueViolation && attempt < PrefixAttempts)
            {
                await transaction.RollbackAsync("key_insert", cancellationToken);
            }
        }
    }

    /// <summary>Revokes the key unless it already is; the key as it now stands and whether this call revoked it.</summary>
    private static async Task<(ApiKeyInfo Key, bool Changed)> RevokeInAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid keyId, CancellationToken cancellationToken)
    {
        await using var update = Command(connection,
            $"UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING {Columns}", transaction, Value(keyId));
        if ((await ReadAllAsync(update, Read, cancellationToken)).SingleOrDefault() is { } revoked)
            return (revoked, true);
        await using var select = Command(connection, $"SELECT {Columns} FROM api_keys WHERE id = $1", transaction, Value(keyId));
        var existing = (await ReadAllAsync(select, Read, cancellationToken)).SingleOrDefault()
            ?? throw new TeamStoreException($"There is no key with id {keyId}.", failure: TeamStoreFailure.NotFound);
        return (existing, false);
    }

    private static ApiKeyInfo Read(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetGuid(1), row.GetString(2), row.GetString(3), row.GetFieldValue<string[]>(4),
        NullableTime(row, 5), NullableTime(row, 6), NullableTime(row, 7), row.GetFieldValue<DateTimeOffset>(8));
}
