using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>Finding a key by the prefix a listing shows, so an admin can name it as they see it.</summary>
internal sealed partial class TeamApiKeys
{
    public async Task<ApiKeyInfo?> FindByPrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var select = Command(connection, $"SELECT {Columns} FROM api_keys WHERE prefix = $1", null, Value(prefix));
        return (await ReadAllAsync(select, Read, cancellationToken)).SingleOrDefault();
    }
}
