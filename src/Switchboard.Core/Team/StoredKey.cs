using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// A key's row with its user and groups, as <see cref="TeamAuthenticator"/> caches it: read by prefix (public, shown
/// in listings) in one query, then the presented key's hash is compared with <see cref="Hash"/> in constant time.
/// </summary>
internal sealed record StoredKey(
    Guid KeyId, string Prefix, byte[] Hash, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt,
    Guid UserId, string Email, string DisplayName, string Role, DateTimeOffset? UserDisabledAt,
    IReadOnlyList<Guid> GroupIds, IReadOnlyList<string> GroupNames)
{
    public string Shown => $"{ApiKeySecret.Scheme}{Prefix}-…";

    public TeamPrincipal ToPrincipal() => new(UserId, Email, DisplayName, Role, GroupIds, GroupNames, KeyId, Prefix, Scopes);

    public static async Task<StoredKey?> FindByPrefixAsync(NpgsqlDataSource database, string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, """
            SELECT k.id, k.prefix, k.hash, k.scopes, k.expires_at, k.revoked_at,
                   u.id, u.email, u.display_name, u.role, u.disabled_at,
                   coalesce(array_agg(g.id ORDER BY g.name) FILTER (WHERE g.id IS NOT NULL), '{}'),
                   coalesce(array_agg(g.name ORDER BY g.name) FILTER (WHERE g.id IS NOT NULL), '{}')
            FROM api_keys k
            JOIN users u ON u.id = k.user_id
            LEFT JOIN memberships m ON m.user_id = u.id
            LEFT JOIN groups g ON g.id = m.group_id
            WHERE k.prefix = $1
            GROUP BY k.id, u.id
            """, null, Value(prefix));
        return (await ReadAllAsync(select, Read, cancellationToken)).SingleOrDefault();
    }

    private static StoredKey Read(NpgsqlDataReader row) => new(
        row.GetGuid(0), row.GetString(1), row.GetFieldValue<byte[]>(2), row.GetFieldValue<string[]>(3), NullableTime(row, 4), NullableTime(row, 5),
        row.GetGuid(6), row.GetString(7), row.GetString(8), row.GetString(9), NullableTime(row, 10),
        row.GetFieldValue<Guid[]>(11), row.GetFieldValue<string[]>(12));
}
