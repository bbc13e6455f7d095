using Npgsql;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Bench.LoadRun;

namespace Switchboard.Bench;

/// <summary>
/// Issue 17's benchmark: the same published binary in local mode and in team mode (a real PostgreSQL and Redis on
/// loopback, started here as the team tests start them), in front of the same scripted upstream, measured
/// interleaved against the upstream direct; then three team replicas behind a real HAProxy beside one, and the team
/// ledger's row count against every team request sent. The team requests come from a member with a spend cap and a
/// rate limit too high to trip, so each runs the key check, the limit admission and the ledger write.
/// </summary>
internal static class TeamRun
{
    private const string OperatorKey = "bench-operator-key";
    private const int HaproxyWarmup = 200;

    public static async Task<int> RunAsync(string binary, string upstream, string work, string? cpus, string? outFile)
    {
        Console.Error.WriteLine("bench: starting PostgreSQL and Redis...");
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        // The test helper's connection strings turn pooling off (each test its own short life); a gateway pools.
        var connection = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Pooling = true }.ConnectionString;
        var teamConfig = TeamConfig(upstream, connection, redis.Url);

        await using var local = await ReplicaProcess.StartAsync(binary, Path.Combine(work, "local"), LocalConfig(upstream), cpus);
        await using var team = await ReplicaProcess.StartAsync(binary, Path.Combine(work, "team-0"), teamConfig, cpus);
        var key = await TeamBenchUser.CreateAsync(team.BaseUrl, OperatorKey);
        using var anyone = Client("sk-bench");
        using var member = Client(key);
        var teamSent = 0;

        Console.Error.WriteLine("bench: direct, local and team mode at c=1, interleaved...");
        for (var i = 0; i < Warmup; i++)
        {
            await OneAsync(anyone, upstream);
            await OneAsync(anyone, local.BaseUrl);
            await OneAsync(member, team.BaseUrl);
            teamSent++;
        }
        var idle = (Local: RssSampler.Read(local.Pid, "VmRSS"), Team: RssSampler.Read(team.Pid, "VmRSS"));
        var samples = (Direct: new List<Sample>(LatencySamples), Local: new List<Sample>(LatencySamples), Team: new List<Sample>(LatencySamples));
        for (var i = 0; i < LatencySamples; i++)
        {
            samples.Direct.Add(await OneAsync(anyone, upstream));
            samples.Local.Add(await OneAsync(anyone, local.BaseUrl));
            samples.Team.Add(await OneAsync(member, team.BaseUrl));
            teamSent++;
        }

        Console.Error.WriteLine($"bench: requests/s at c={Concurrency}, alternating rounds...");
        var rps = (Direct: new List<double>(), Local: new List<double>(), Team: new List<double>());
        for (var round = 0; round < 2; round++)
        {
            rps.Direct.Add(await ThroughputAsync(anyone, upstream));
            rps.Local.Add(await ThroughputAsync(anyone, local.BaseUrl));
            var (completed, perSecond) = await CountedThroughputAsync(member, team.BaseUrl);
            teamSent += completed;
            rps.Team.Add(perSecond);
        }
        var loaded = (Local: RssSampler.Read(local.Pid, "VmRSS"), Team: RssSampler.Read(team.Pid, "VmRSS"));

        Console.Error.WriteLine("bench: three team replicas behind HAProxy, beside one...");
        await using var second = await ReplicaProcess.StartAsync(binary, Path.Combine(work, "team-1"), teamConfig, cpus);
        await using var third = await ReplicaProcess.StartAsync(binary, Path.Combine(work, "team-2"), teamConfig, cpus);
        await using var viaOne = await HaproxyServer.StartAsync(team.Port);
        await using var viaThree = await HaproxyServer.StartAsync(team.Port, second.Port, third.Port);
        await viaOne.WaitForBackendsAsync("UP");
        await viaThree.WaitForBackendsAsync("UP");
        for (var i = 0; i < HaproxyWarmup; i++)
        {
            await OneAsync(member, viaOne.BaseUrl);
            await OneAsync(member, viaThree.BaseUrl);
            teamSent += 2;
        }
        var balanced = (One: new List<double>(), Three: new List<double>());
        for (var round = 0; round < 2; round++)
        {
            var one = await CountedThroughputAsync(member, viaOne.BaseUrl);
            var three = await CountedThroughputAsync(member, viaThree.BaseUrl);
            teamSent += one.Completed + three.Completed;
            balanced.One.Add(one.PerSecond);
            balanced.Three.Add(three.PerSecond);
        }

        Console.Error.WriteLine($"bench: waiting for the team ledger to hold all {teamSent} requests...");
        var ledger = await LedgerAsync(connection, teamSent);

        var report = TeamReport.Build(new TeamFigures(
            samples.Direct, samples.Local, samples.Team,
            rps.Direct.Average(), rps.Local.Average(), rps.Team.Average(),
            balanced.One.Average(), balanced.Three.Average(),
            teamSent, ledger.Rows, ledger.ByReplica,
            idle.Local, loaded.Local, idle.Team, loaded.Team, Pinned: !string.IsNullOrEmpty(cpus)));
        Console.WriteLine(report);
        if (outFile is not null) await File.WriteAllTextAsync(outFile, report);
        return 0;
    }

    private static HttpClient Client(string key)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", key);
        http.DefaultRequestHeaders.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return http;
    }

    /// <summary>The ledger's rows once they reach <paramref name="sent"/> (replicas write in batches), or after 60 s, whatever it holds.</summary>
    private static async Task<(long Rows, IReadOnlyList<(string Replica, long Rows)> ByReplica)> LedgerAsync(string connection, int sent)
    {
        await using var database = NpgsqlDataSource.Create(connection);
        async Task<long> CountAsync()
        {
            await using var command = database.CreateCommand("SELECT count(*) FROM requests");
            return (long)(await command.ExecuteScalarAsync())!;
        }
        long rows;
        try { rows = await Eventually.WaitAsync(CountAsync, count => count >= sent, count => $"{sent} ledger rows (now {count})", TimeSpan.FromSeconds(60)); }
        catch (TimeoutException) { rows = await CountAsync(); }
        var byReplica = new List<(string, long)>();
        await using var grouped = database.CreateCommand("SELECT replica, count(*) FROM requests GROUP BY replica ORDER BY replica");
        await using var reader = await grouped.ExecuteReaderAsync();
        while (await reader.ReadAsync()) byReplica.Add((reader.GetString(0), reader.GetInt64(1)));
        return (rows, byReplica);
    }

    private static string LocalConfig(string upstream) => $$"""
        { "defaultProvider": "anthropic", "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream}}" } } }
        """;

    private static string TeamConfig(string upstream, string postgres, string redis) => $$"""
        {
          "apiKey": "{{OperatorKey}}",
          "defaultProvider": "anthropic",
          "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream}}", "apiKey": "sk-gateway" } },
          "team": { "postgres": "{{postgres}}", "redis": "{{redis}}", "publicUrl": "http://127.0.0.1" }
        }
        """;
}
