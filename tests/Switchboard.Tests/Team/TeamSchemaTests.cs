using Npgsql;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;

namespace Switchboard.Tests.Team;

/// <summary>Issue 17, item 2: the team schema's migrations, on a real PostgreSQL.</summary>
public sealed class TeamSchemaTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly string[] Tables = ["users", "groups", "memberships", "api_keys", "limits", "requests", "audit_log"];

    [Fact]
    public async Task Migrate_EmptyDatabase_CreatesEveryTableAndRecordsTheVersion()
    {
        await using var database = TeamDatabase.Create(await postgres.CreateDatabaseAsync());

        var applied = await TeamSchema.MigrateAsync(database, TestContext.Current.CancellationToken);

        applied.ShouldBe(Enumerable.Range(1, TeamSchema.LatestVersion));
        Tables.Except(await TablesAsync(database)).ShouldBeEmpty("every table of the schema exists");
        await using var connection = await database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        (await TeamSchema.CurrentVersionAsync(connection, TestContext.Current.CancellationToken)).ShouldBe(TeamSchema.LatestVersion);
    }

    [Fact]
    public async Task Migrate_ThreeReplicasStartingTogether_ApplyEachMigrationOnce()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var replicas = Enumerable.Range(0, 3).Select(_ => TeamDatabase.Create(connectionString)).ToList();
        try
        {
            using var start = new Barrier(replicas.Count);
            var runs = replicas.Select(replica => Task.Run(async () =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                return await TeamSchema.MigrateAsync(replica, TestContext.Current.CancellationToken);
            })).ToList();
            var results = await Task.WhenAll(runs);

            results.Count(applied => applied.Count > 0).ShouldBe(1, "one replica applies; the others wait on the lock and find the work done");
            results.Sum(applied => applied.Count).ShouldBe(TeamSchema.LatestVersion);
            (await CountAsync(replicas[0], "SELECT count(*) FROM schema_migrations")).ShouldBe(TeamSchema.LatestVersion);
        }
        finally
        {
            foreach (var replica in replicas) await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task Migrate_AlreadyUpToDate_AppliesNothing()
    {
        await using var database = TeamDatabase.Create(await postgres.CreateDatabaseAsync());
        await TeamSchema.MigrateAsync(database, TestContext.Current.CancellationToken);

        var again = await TeamSchema.MigrateAsync(database, TestContext.Current.CancellationToken);

        again.ShouldBeEmpty();
        (await CountAsync(database, "SELECT count(*) FROM schema_migrations")).ShouldBe(TeamSchema.LatestVersion);
    }

    [Fact]
    public async Task Migrate_SchemaNewerThanThisBuild_IsRefusedAndLeftAlone()
    {
        await using var database = TeamDatabase.Create(await postgres.CreateDatabaseAsync());
        await TeamSchema.MigrateAsync(database, TestContext.Current.CancellationToken);
        var newer = TeamSchema.LatestVersion + 1;
        await ExecuteAsync(database, $"INSERT INTO schema_migrations (version, name) VALUES ({newer}, 'from_a_newer_build')");

        var refused = await Should.ThrowAsync<TeamStoreException>(() => TeamSchema.MigrateAsync(database, TestContext.Current.CancellationToken));

        refused.Message.ShouldContain($"schema is version {newer}, newer than this Switchboard knows (version {TeamSchema.LatestVersion})");
        refused.Message.ShouldContain("upgrade this one");
        (await CountAsync(database, "SELECT count(*) FROM schema_migrations")).ShouldBe(newer);
    }

    [Fact]
    public async Task Migrate_PostgresNotRunning_SaysWhichServerAndWhatToFix_WithoutThePassword()
    {
        var port = TestPorts.Free();
        await using var database = TeamDatabase.Create($"Host=127.0.0.1;Port={port};Database=team;Username=gateway;Password=hunter2-secret;Timeout=5");

        var failed = await Should.ThrowAsync<TeamStoreException>(() => TeamSchema.MigrateAsync(database, TestContext.Current.CancellationToken));

        failed.Message.ShouldStartWith($"PostgreSQL at 127.0.0.1:{port} (database 'team', user 'gateway') cannot be used: ");
        failed.Message.ShouldEndWith("Start it, or fix team.postgres in the config.");
        failed.Message.ShouldNotContain("hunter2-secret");
    }

    [Fact]
    public void Create_NotAConnectionString_SaysHowToWriteOne()
    {
        var refused = Should.Throw<TeamStoreException>(() => TeamDatabase.Create("postgres://who knows"));

        refused.Message.ShouldContain("team.postgres is not an Npgsql connection string");
        refused.Message.ShouldContain("Host=…;Database=…;Username=…;Password=…");
    }

    private static async Task<List<string>> TablesAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var tables = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken)) tables.Add(reader.GetString(0));
        return tables;
    }

    private static async Task<long> CountAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
