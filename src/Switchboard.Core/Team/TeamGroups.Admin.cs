using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>What the admin API needs of <c>groups</c> beyond what authentication does: listing, members, deleting.</summary>
internal sealed partial class TeamGroups
{
    public async Task<IReadOnlyList<TeamGroup>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM groups ORDER BY name");
        return await ReadAllAsync(select, Read, cancellationToken);
    }

    public async Task<TeamGroup?> FindAsync(Guid groupId, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM groups WHERE id = $1", null, Value(groupId));
        return (await ReadAllAsync(select, Read, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Every membership, as (group, user) pairs: one query for a whole listing.</summary>
    public async Task<IReadOnlyList<(Guid GroupId, Guid UserId)>> MembershipsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, "SELECT group_id, user_id FROM memberships");
        return await ReadAllAsync(select, row => (row.GetGuid(0), row.GetGuid(1)), cancellationToken);
    }

    /// <summary>Deletes the group and its memberships; returns who were its members, whose cached groups are now wrong.</summary>
    public Task<IReadOnlyList<Guid>> DeleteAsync(Guid groupId, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var members = Command(connection, "SELECT user_id FROM memberships WHERE group_id = $1", transaction, Value(groupId));
            IReadOnlyList<Guid> users = await ReadAllAsync(members, row => row.GetGuid(0), cancellationToken);
            await using var delete = Command(connection, "DELETE FROM groups WHERE id = $1 RETURNING name", transaction, Value(groupId));
            var name = (await ReadAllAsync(delete, row => row.GetString(0), cancellationToken)).SingleOrDefault()
                ?? throw new TeamStoreException($"There is no group with id {groupId}.", failure: TeamStoreFailure.NotFound);
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, groupId.ToString(),
                [("change", "group_deleted"), ("name", name), ("members", users.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                cancellationToken);
            return users;
        }, cancellationToken);
}
