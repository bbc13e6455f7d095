using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// A gateway session with its user and groups, as the bearer path of <see cref="TeamAuthenticator"/> caches it: the
/// token says who and until when; this row says whether the session and the user still stand, and their groups now.
/// </summary>
internal sealed record StoredSession(
    Guid SessionId, DateTimeOffset? RevokedAt, Guid UserId, string Email, string DisplayName, string Role, DateTimeOffset? UserDisabledAt,
    IReadOnlyList<Guid> GroupIds, IReadOnlyList<string> GroupNames)
{
    /// <summary>Scopes a signed-in session holds: everything a key of the user may do (keys can be narrowed; sessions are the person).</summary>
    private static readonly string[] AllScopes = [];

    /// <summary>How audit rows and the ledger name the credential: the session, as a key's prefix names a key.</summary>
    public string Shown => $"session {SessionId.ToString()[..8]}";

    public TeamPrincipal ToPrincipal() => new(UserId, Email, DisplayName, Role, GroupIds, GroupNames, SessionId, Shown, AllScopes);

    public static async Task<StoredSession?> FindAsync(NpgsqlDataSource database, Guid sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, """
            SELECT s.id, s.revoked_at, u.id, u.email, u.display_name, u.role, u.disabled_at,
                   coalesce(array_agg(g.id ORDER BY g.name) FILTER (WHERE g.id IS NOT NULL), '{}'),
                   coalesce(array_agg(g.name ORDER BY g.name) FILTER (WHERE g.id IS NOT NULL), '{}')
            FROM gateway_sessions s
            JOIN users u ON u.id = s.user_id
            LEFT JOIN memberships m ON m.user_id = u.id
            LEFT JOIN groups g ON g.id = m.group_id
            WHERE s.id = $1
            GROUP BY s.id, u.id
            """, null, Value(sessionId));
        return (await ReadAllAsync(select, row => new StoredSession(
            row.GetGuid(0), NullableTime(row, 1), row.GetGuid(2), row.GetString(3), row.GetString(4), row.GetString(5), NullableTime(row, 6),
            row.GetFieldValue<Guid[]>(7), row.GetFieldValue<string[]>(8)), cancellationToken)).SingleOrDefault();
    }
}
