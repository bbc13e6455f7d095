using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// The <c>groups</c> and <c>memberships</c> tables. A membership change alters the groups a cached principal
/// carries: the caller also tells every replica (<c>Invalidate(userId)</c>).
/// </summary>
internal sealed partial class TeamGroups(NpgsqlDataSource database)
{
    private const string Columns = "id, name, created_at";

    public Task<TeamGroup> CreateAsync(string name, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var insert = Command(connection, $"INSERT INTO groups (id, name) VALUES ($1, $2) RETURNING {Columns}", transaction,
                Value(Guid.CreateVersion7()), Value(name));
            TeamGroup group;
            try { group = (await ReadAllAsync(insert, Read, cancellationToken))[0]; }
            catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
            {
                throw new TeamStoreException($"A group named {name} already exists.", ex, TeamStoreFailure.Conflict);
            }
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, group.Id.ToString(),
                [("change", "group_created"), ("name", name)], cancellationToken);
            return group;
        }, cancellationToken);

    public async Task<TeamGroup?> FindByNameAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM groups WHERE name = $1", null, Value(name));
        return (await ReadAllAsync(select, Read, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The groups <paramref name="userId"/> belongs to, by name.</summary>
    public async Task<IReadOnlyList<TeamGroup>> GroupsOfAsync(Guid userId, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, """
            SELECT g.id, g.name, g.created_at FROM groups g JOIN memberships m ON m.group_id = g.id
            WHERE m.user_id = $1 ORDER BY g.name
            """, null, Value(userId));
        return await ReadAllAsync(select, Read, cancellationToken);
    }

    /// <summary>Adds the user to the group; adding a member again changes nothing and writes nothing.</summary>
    public Task AddMemberAsync(Guid groupId, Guid userId, string actor, CancellationToken cancellationToken) =>
        ChangeMembershipAsync("INSERT INTO memberships (user_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            "member_added", groupId, userId, actor, cancellationToken);

    public Task RemoveMemberAsync(Guid groupId, Guid userId, string actor, CancellationToken cancellationToken) =>
        ChangeMembershipAsync("DELETE FROM memberships WHERE user_id = $1 AND group_id = $2",
            "member_removed", groupId, userId, actor, cancellationToken);

    private Task ChangeMembershipAsync(string sql, string change, Guid groupId, Guid userId, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var command = Command(connection, sql, transaction, Value(userId), Value(groupId));
            int rows;
            try { rows = await command.ExecuteNonQueryAsync(cancellationToken); }
            catch (PostgresException ex) when (ex.SqlState == ForeignKeyViolation)
            {
                throw new TeamStoreException($"There is no user {userId} or no group {groupId}.", ex, TeamStoreFailure.NotFound);
            }
            if (rows > 0)
                await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, groupId.ToString(),
                    [("change", change), ("user", userId.ToString())], cancellationToken);
            return rows;
        }, cancellationToken);

    private static TeamGroup Read(NpgsqlDataReader row) => new(row.GetGuid(0), row.GetString(1), row.GetFieldValue<DateTimeOffset>(2));
}
