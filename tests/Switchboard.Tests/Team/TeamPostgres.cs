using Npgsql;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure.Engines;

namespace Switchboard.Tests.Team;

/// <summary>
/// One real PostgreSQL for the team store's test classes (starting one costs seconds); each test still gets a
/// database of its own, migrated, so no test sees another's rows and the order they run in does not matter.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TeamPostgres : ICollectionFixture<PostgresServer>
{
    public const string Name = "Team PostgreSQL";

    /// <summary>A new database with the team schema; the caller disposes the data source.</summary>
    internal static async Task<NpgsqlDataSource> MigratedDatabaseAsync(PostgresServer postgres)
    {
        var database = TeamDatabase.Create(await postgres.CreateDatabaseAsync());
        await TeamSchema.MigrateAsync(database, TestContext.Current.CancellationToken);
        return database;
    }

    /// <summary>A member user made by the config, for tests whose subject is something the user owns.</summary>
    internal static Task<TeamUser> MemberAsync(NpgsqlDataSource database, string email = "ada@example.com", string displayName = "Ada") =>
        new TeamUsers(database).CreateAsync(email, displayName, TeamUser.Member, "config", TestContext.Current.CancellationToken);

    internal static async Task<T> ScalarAsync<T>(NpgsqlDataSource database, string sql, params object[] values)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    internal static async Task<List<string>> AuditAsync(NpgsqlDataSource database, string action)
    {
        await using var command = database.CreateCommand("SELECT actor || ' ' || coalesce(subject, '-') || ' ' || detail::text FROM audit_log WHERE action = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = action });
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken)) rows.Add(reader.GetString(0));
        return rows;
    }

    internal static async Task ExecuteAsync(NpgsqlDataSource database, string sql, params object[] values)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
