using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>The <c>groups.managed_settings</c> column: each group's Claude Code managed settings, audited like every admin change.</summary>
internal sealed class GroupSettings(NpgsqlDataSource database)
{
    /// <summary>The settings of the groups among <paramref name="groupIds"/> that set any, by group name.</summary>
    public async Task<List<JsonObject>> OfAsync(IReadOnlyList<Guid> groupIds, CancellationToken cancellationToken)
    {
        if (groupIds.Count == 0) return [];
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection,
            "SELECT managed_settings::text FROM groups WHERE id = ANY($1) AND managed_settings IS NOT NULL ORDER BY name", null,
            Value(groupIds.ToArray()));
        return [.. (await ReadAllAsync(select, row => row.GetString(0), cancellationToken)).Select(text => JsonNode.Parse(text)!.AsObject())];
    }

    public async Task<JsonObject?> GetAsync(Guid groupId, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, "SELECT managed_settings::text FROM groups WHERE id = $1", null, Value(groupId));
        return await select.ExecuteScalarAsync(cancellationToken) is string text ? JsonNode.Parse(text)!.AsObject() : null;
    }

    /// <summary>Sets (or, with null, clears) the group's settings.</summary>
    public Task SetAsync(Guid groupId, JsonObject? settings, string actor, CancellationToken cancellationToken) =>
        InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var update = Command(connection, "UPDATE groups SET managed_settings = $2::jsonb WHERE id = $1", transaction,
                Value(groupId), new NpgsqlParameter { Value = (object?)settings?.ToJsonString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0)
                throw new TeamStoreException($"There is no group with id {groupId}.", failure: TeamStoreFailure.NotFound);
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, groupId.ToString(),
                [("change", settings is null ? "managed_settings_cleared" : "managed_settings_set"),
                 ("checksum", settings is null ? null : ManagedSettings.Checksum(settings))], cancellationToken);
            return true;
        }, cancellationToken);
}
