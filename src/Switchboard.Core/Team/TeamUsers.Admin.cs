using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>What the admin API needs of <c>users</c> beyond what authentication does: listing and changing a role.</summary>
internal sealed partial class TeamUsers
{
    public async Task<IReadOnlyList<TeamUser>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM users ORDER BY email");
        return await ReadAllAsync(select, Read, cancellationToken);
    }

    /// <summary>Gives the user <paramref name="role"/>; setting the role they have changes nothing and writes nothing.</summary>
    public Task<TeamUser> SetRoleAsync(Guid userId, string role, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var update = Command(connection,
                $"UPDATE users SET role = $2 WHERE id = $1 AND role <> $2 RETURNING {Columns}", transaction, Value(userId), Value(role));
            var changed = (await ReadAllAsync(update, Read, cancellationToken)).SingleOrDefault();
            if (changed is null)
                return await FindInAsync(connection, transaction, userId, cancellationToken);
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, userId.ToString(),
                [("change", "role_changed"), ("role", role)], cancellationToken);
            return changed;
        }, cancellationToken);
}
