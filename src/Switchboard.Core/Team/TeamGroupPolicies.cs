using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Config;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// Reads and sets a group's policy (its allowlists, default model, routes and rules: columns of <c>groups</c>). Routes
/// and rules are stored as jsonb in the config file's shape, written and read by the config's own source-generated
/// JSON context. A change is audited in its transaction; the caller then tells every replica
/// (<c>TeamInvalidation.PublishAsync(groupId)</c>), whose <see cref="GroupPolicyCache"/> drops what it held.
/// </summary>
internal sealed class TeamGroupPolicies(NpgsqlDataSource database)
{
    private const string Columns = "id, name, allowed_providers, allowed_models, default_model, routes::text, rules::text";

    /// <summary>The group's policy, or null when there is no such group.</summary>
    public async Task<GroupPolicy?> GetAsync(Guid groupId, CancellationToken cancellationToken) =>
        (await OfAsync([groupId], cancellationToken)).SingleOrDefault().Policy;

    /// <summary>The policies of <paramref name="groupIds"/> (the groups that exist), in group-name order.</summary>
    public async Task<IReadOnlyList<(string Name, GroupPolicy Policy)>> OfAsync(IReadOnlyList<Guid> groupIds, CancellationToken cancellationToken)
    {
        if (groupIds.Count == 0) return [];
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM groups WHERE id = ANY($1) ORDER BY name", null,
            Value(groupIds.ToArray()));
        return await ReadAllAsync(select, Read, cancellationToken);
    }

    /// <summary>
    /// Replaces the group's policy. It is checked against <paramref name="config"/> first (targets must name configured
    /// providers, as in the config file): a bad policy throws <see cref="TeamStoreException"/> listing every problem.
    /// </summary>
    public Task SetAsync(Guid groupId, GroupPolicy policy, SwitchboardConfig config, string actor, CancellationToken cancellationToken)
    {
        if (policy.Problems(config) is { Count: > 0 } problems)
            throw new TeamStoreException($"The policy for group {groupId} is not valid: {string.Join("; ", problems)}.", failure: TeamStoreFailure.Invalid);
        return InTransactionAsync(database, async (connection, transaction) =>
        {
            await using var update = Command(connection, """
                UPDATE groups SET allowed_providers = $2, allowed_models = $3, default_model = $4, routes = $5, rules = $6
                WHERE id = $1
                """, transaction, Value(groupId), Value(policy.AllowedProviders.ToArray()), Value(policy.AllowedModels.ToArray()),
                Text(policy.DefaultModel), Jsonb(policy.Routes is null ? null : JsonSerializer.Serialize(policy.Routes, ConfigJson.Default.RoutesConfig)),
                Jsonb(policy.Rules is null ? null : JsonSerializer.Serialize(policy.Rules, ConfigJson.Default.ListRouteRule)));
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) throw new TeamStoreException($"There is no group {groupId}.", failure: TeamStoreFailure.NotFound);
            await TeamAudit.WriteAsync(connection, transaction, actor, TeamAudit.AdminChange, groupId.ToString(),
                [("change", "group_policy_set"), ("allowedProviders", string.Join(",", policy.AllowedProviders)),
                 ("allowedModels", string.Join(",", policy.AllowedModels)), ("defaultModel", policy.DefaultModel),
                 ("routes", policy.Routes is null ? "config" : "own"), ("rules", policy.Rules is null ? "config" : "own")], cancellationToken);
            return 0;
        }, cancellationToken);
    }

    private static NpgsqlParameter Jsonb(string? json) => new() { Value = (object?)json ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private static (string Name, GroupPolicy Policy) Read(NpgsqlDataReader row) => (row.GetString(1), new GroupPolicy
    {
        AllowedProviders = row.GetFieldValue<string[]>(2),
        AllowedModels = row.GetFieldValue<string[]>(3),
        DefaultModel = NullableText(row, 4),
        Routes = NullableText(row, 5) is { } routes ? JsonSerializer.Deserialize(routes, ConfigJson.Default.RoutesConfig) : null,
        Rules = NullableText(row, 6) is { } rules ? JsonSerializer.Deserialize(rules, ConfigJson.Default.ListRouteRule) : null,
    });
}
