using System.Net.Http.Json;
using Npgsql;
using Shouldly;
using Switchboard.Hosting;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, items 1 and 2: a config with a <c>team</c> section makes the real <c>switchboard serve</c> open PostgreSQL,
/// migrate it before it listens and connect Redis; when PostgreSQL cannot be used it does not start, and says why.
/// </summary>
public sealed class TeamStartTests(PostgresServer postgres, RedisServer redis) : IClassFixture<PostgresServer>, IClassFixture<RedisServer>
{
    private const string Password = "hunter2-secret";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The password reaches the server through its own environment only, as a deployment would pass it.</summary>
    private static readonly Dictionary<string, string?> Secrets = new() { ["TEAM_PG_PASSWORD"] = Password };

    [Fact]
    public async Task Serve_PostgresNotRunning_DoesNotStart_AndSaysWhichServerWithoutThePassword()
    {
        using var home = new TempHome();
        var closed = TestPorts.Free();
        home.WriteConfig(TeamConfig($"Host=127.0.0.1;Port={closed};Database=team;Username=gateway;Password=$TEAM_PG_PASSWORD;Timeout=5",
            $"redis://:{Password}@127.0.0.1:{TestPorts.Free()}"));

        var run = await new CliRunner(home).RunAsync(["serve", "--port", TestPorts.Free().ToString()],
            environment: new Dictionary<string, string> { ["TEAM_PG_PASSWORD"] = Password });

        run.ExitCode.ShouldBe(3, run.ToString());
        run.Stderr.ShouldContain($"switchboard: team mode cannot start: PostgreSQL at 127.0.0.1:{closed} (database 'team', user 'gateway') cannot be used: ");
        run.Stderr.ShouldContain("Start it, or fix team.postgres in the config.");
        (run.Stdout + run.Stderr).ShouldNotContain(Password);
        (run.Stdout + run.Stderr).ShouldNotContain("listening on", Case.Insensitive);
    }

    [Fact]
    public async Task Serve_RedisAddressMalformed_DoesNotStart_AndSaysHowToWriteIt()
    {
        using var home = new TempHome();
        home.WriteConfig(TeamConfig(await postgres.CreateDatabaseAsync(), $"http://:{Password}@127.0.0.1:6379"));

        var run = await new CliRunner(home).RunAsync("serve", "--port", TestPorts.Free().ToString());

        run.ExitCode.ShouldBe(3, run.ToString());
        run.Stderr.ShouldContain("switchboard: team mode cannot start: team.redis is not a Redis URL (scheme 'http'); write it as redis://[:password@]host:port[/db].");
        (run.Stdout + run.Stderr).ShouldNotContain(Password);
    }

    [Fact]
    public async Task Start_PostgresNotRunning_ReportsTheDaemonsReasonFromItsLog()
    {
        using var home = new TempHome();
        var closed = TestPorts.Free();
        home.WriteConfig(TeamConfig($"Host=127.0.0.1;Port={closed};Database=team;Username=gateway;Password={Password};Timeout=5", redis.Url));
        var cli = new CliRunner(home);
        try
        {
            var run = await cli.RunAsync("start", "--port", TestPorts.Free().ToString());

            run.ExitCode.ShouldBe(1, run.ToString());
            run.Stdout.ShouldContain("the router did not start");
            run.Stdout.ShouldContain($"team mode cannot start: PostgreSQL at 127.0.0.1:{closed}");
            (run.Stdout + run.Stderr + File.ReadAllText(home.Home.LogFile)).ShouldNotContain(Password);
        }
        finally
        {
            await cli.StopDaemonAsync();
        }
    }

    [Fact]
    public async Task Serve_DatabaseWithANewerSchema_DoesNotStart_AndSaysToUpgrade()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using (var source = TeamDatabase.Create(database))
        {
            await TeamSchema.MigrateAsync(source, Cancel);
            await using var newer = source.CreateCommand($"INSERT INTO schema_migrations (version, name) VALUES ({TeamSchema.LatestVersion + 1}, 'newer')");
            await newer.ExecuteNonQueryAsync(Cancel);
        }
        using var home = new TempHome();
        home.WriteConfig(TeamConfig(database, redis.Url));

        var run = await new CliRunner(home).RunAsync("serve", "--port", TestPorts.Free().ToString());

        run.ExitCode.ShouldBe(3, run.ToString());
        run.Stderr.ShouldContain($"switchboard: team mode cannot start: The team database's schema is version {TeamSchema.LatestVersion + 1}, newer than this Switchboard knows");
        run.Stderr.ShouldContain("upgrade this one");
    }

    [Fact]
    public async Task ThreeReplicasStartedTogether_OnOneFreshDatabase_AllComeUp_MigratedOnce()
    {
        var database = await postgres.CreateDatabaseAsync() + ";Password=$TEAM_PG_PASSWORD";
        var config = TeamConfig(database, redis.Url);

        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PublishedServer.StartBuiltAsync(config, Secrets)));
        try
        {
            var health = await Task.WhenAll(replicas.Select(replica => replica.Client.GetFromJsonAsync("/health", HostJson.Default.HealthReport, Cancel)));

            health.ShouldAllBe(report => report!.Status == "ok" && report.Team!.Postgres && report.Team.Redis);
            health.Select(report => report!.Team!.Replica).Distinct().Count().ShouldBe(3, "each replica has its own id");
            health.Select(report => report!.Team!.ConfigHash).Distinct().Count().ShouldBe(1, "the same config file, whatever each replica's port");
            await using var source = TeamDatabase.Create(database.Replace("$TEAM_PG_PASSWORD", Password, StringComparison.Ordinal));
            await using var count = source.CreateCommand("SELECT count(*) FROM schema_migrations");
            ((long)(await count.ExecuteScalarAsync(Cancel))!).ShouldBe(TeamSchema.LatestVersion);
            foreach (var replica in replicas)
            {
                replica.Log.ShouldContain($"Team mode: PostgreSQL 127.0.0.1:{postgres.Port}/");
                replica.Log.ShouldNotContain(Password);
                replica.EnsureHealthy();
            }
            replicas.Count(replica => !replica.Log.Contains("(applied now: none)", StringComparison.Ordinal))
                .ShouldBe(1, "one replica migrated; the others waited on the advisory lock and found the work done");
        }
        finally
        {
            foreach (var replica in replicas) await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReplicasBehindHaproxy_EachAnswersItsShareOfHealthChecks()
    {
        var config = TeamConfig(await postgres.CreateDatabaseAsync(), redis.Url);
        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PublishedServer.StartBuiltAsync(config, Secrets)));
        try
        {
            await using var haproxy = await HaproxyServer.StartAsync([.. replicas.Select(replica => replica.Port)]);
            await haproxy.WaitForBackendsAsync("UP");
            using var http = new HttpClient { BaseAddress = new Uri(haproxy.BaseUrl) };

            var seen = new List<string>();
            for (var i = 0; i < 6; i++) seen.Add((await http.GetFromJsonAsync("/health", HostJson.Default.HealthReport, Cancel))!.Team!.Replica);

            seen.Distinct().Count().ShouldBe(3, string.Join(", ", seen));
            seen.ShouldAllBe(id => id.EndsWith(":" + replicas.Single(r => id.Contains($":{r.Port}:", StringComparison.Ordinal)).Pid, StringComparison.Ordinal));
        }
        finally
        {
            foreach (var replica in replicas) await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task Health_RedisGoesDown_SaysSoAndRecoversWhenItComesBack()
    {
        await using var ownRedis = new RedisServer();
        await ownRedis.InitializeAsync();
        await using var replica = await PublishedServer.StartBuiltAsync(TeamConfig(await postgres.CreateDatabaseAsync(), ownRedis.Url), Secrets);
        async Task<HealthReport> HealthAsync() => (await replica.Client.GetFromJsonAsync("/health", HostJson.Default.HealthReport, Cancel))!;

        (await HealthAsync()).Team!.Redis.ShouldBeTrue();
        await ownRedis.StopAsync();

        var down = await HealthAsync();
        down.Team!.Redis.ShouldBeFalse();
        down.Team.Postgres.ShouldBeTrue();
        down.Status.ShouldBe("degraded");
        await ownRedis.StartAsync();
        await Eventually.WaitAsync(HealthAsync, report => report.Team!.Redis, report => $"Redis to answer again ({report.Status})", TimeSpan.FromSeconds(30));
        replica.EnsureHealthy();
    }

    [Fact]
    public async Task Serve_RedisDownAtStart_StartsAnyway_AndConnectsWhenRedisComesUp()
    {
        await using var lateRedis = new RedisServer();
        await lateRedis.InitializeAsync();
        await lateRedis.StopAsync();

        await using var replica = await PublishedServer.StartBuiltAsync(TeamConfig(await postgres.CreateDatabaseAsync(), lateRedis.Url), Secrets);
        var health = (await replica.Client.GetFromJsonAsync("/health", HostJson.Default.HealthReport, Cancel))!;

        health.Team!.Redis.ShouldBeFalse();
        health.Team.Postgres.ShouldBeTrue();
        replica.Log.ShouldContain($"Team mode: Redis 127.0.0.1:{lateRedis.Port} does not answer; serving anyway");
        await lateRedis.StartAsync();
        await Eventually.WaitAsync(async () => (await replica.Client.GetFromJsonAsync("/health", HostJson.Default.HealthReport, Cancel))!,
            report => report.Team!.Redis && report.Status == "ok", report => $"Redis to answer ({report.Status})", TimeSpan.FromSeconds(30));
        replica.EnsureHealthy();
    }

    [Fact]
    public async Task Health_WithoutATeamSection_HasNoTeamPart()
    {
        await using var local = await RunningSwitchboard.StartAsync();

        var json = await local.Client.GetStringAsync("/health", Cancel);

        json.ShouldNotContain("\"team\"");
        local.Server.Team.ShouldBeNull("nothing of team mode is built for the local path");
    }

    private static string TeamConfig(string postgresConnection, string redisUrl) => $$"""
        {
          "defaultProvider": "anthropic",
          "providers": { "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:9" } },
          "team": {
            "postgres": "{{postgresConnection}}",
            "redis": "{{redisUrl}}",
            "publicUrl": "https://switchboard.example.com"
          }
        }
        """;
}
