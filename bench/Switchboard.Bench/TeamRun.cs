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
        using var anyone = Client("sk-bench");
        using var unlimited = Client(await TeamBenchUser.CreateAsync(team.BaseUrl, OperatorKey, "unlimited@example.com", capped: false));
        using var member = Client(await TeamBenchUser.CreateAsync(team.BaseUrl, OperatorKey, "bench@example.com", capped: true));
        // In this order, interleaved; the last is the "authorised request" (key, limits, ledger).
        var paths = new (HttpClient Client, string Url, bool Team)[]
        {
            (anyone, upstream, false), (anyone, local.BaseUrl, false), (unlimited, team.BaseUrl, true), (member, team.BaseUrl, true),
        };
        var teamSent = 0;

        Console.Error.WriteLine("bench: direct, local, team without and with limits at c=1, interleaved...");
        for (var i = 0; i < Warmup; i++)
            foreach (var (client, url, isTeam) in paths)
            {
                await OneAsync(client, url);
                if (isTeam) teamSent++;
            }
        var idle = (Local: RssSampler.Read(local.Pid, "VmRSS"), Team: RssSampler.Read(team.Pid, "VmRSS"));
        var samples = paths.Select(_ => new List<Sample>(LatencySamples)).ToArray();
        for (var i = 0; i < LatencySamples; i++)
            for (var p = 0; p < paths.Length; p++)
            {
                samples[p].Add(await OneAsync(paths[p].Client, paths[p].Url));
                if (paths[p].Team) teamSent++;
            }

        Console.Error.WriteLine($"bench: requests/s at c={Concurrency}, alternating rounds...");
        var rps = paths.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < 2; round++)
            for (var p = 0; p < paths.Length; p++)
            {
                var (completed, perSecond) = await CountedThroughputAsync(paths[p].Client, paths[p].Url);
                if (paths[p].Team) teamSent += completed;
                rps[p].Add(perSecond);
            }
        var loaded = (Local: RssSampler.Read(local.Pid, "VmRSS"), Team: RssSampler.Read(team.Pid, "VmRSS"));
        var redisRoundTrip = await RedisRoundTripAsync(redis.Url);

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

        // A record is dropped as its request ends (the queue full), so once the load stops this count is final.
        var dropped = 0L;
        foreach (var replica in new[] { team, second, third }) dropped += await TeamBenchUser.LedgerDroppedAsync(replica.BaseUrl, OperatorKey);
        Console.Error.WriteLine($"bench: waiting for the team ledger to hold the {teamSent} requests sent ({dropped} dropped)...");
        var ledger = await LedgerAsync(connection, teamSent - dropped);

        var report = TeamReport.Build(new TeamFigures(
            samples[0], samples[1], samples[2], samples[3],
            rps[0].Average(), rps[1].Average(), rps[2].Average(), rps[3].Average(),
            balanced.One.Average(), balanced.Three.Average(),
            teamSent, ledger.Rows, dropped, ledger.ByReplica, redisRoundTrip,
            idle.Local, loaded.Local, idle.Team, loaded.Team, Pinned: !string.IsNullOrEmpty(cpus)));
        Console.WriteLine(report);
        if (outFile is not null) await File.WriteAllTextAsync(outFile, report);
        return 0;
    }

    /// <summary>The p50 of a Redis PING from this process (on the client's core) in ms: the floor of the limits' round trip.</summary>
    private static async Task<double> RedisRoundTripAsync(string url)
    {
        var uri = new Uri(url);
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{uri.Host}:{uri.Port}");
        var database = redis.GetDatabase();
        var times = new List<double>(LatencySamples);
        for (var i = 0; i < Warmup + LatencySamples; i++)
        {
            var took = await database.PingAsync();
            if (i >= Warmup) times.Add(took.TotalMilliseconds);
        }
        return Percentile(times, 0.5);
    }

    private static HttpClient Client(string key)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", key);
        http.DefaultRequestHeaders.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return http;
    }

    /// <summary>The ledger's rows once they reach <paramref name="expected"/> (replicas write in batches), or after 60 s, whatever it holds.</summary>
    private static async Task<(long Rows, IReadOnlyList<(string Replica, long Rows)> ByReplica)> LedgerAsync(string connection, long expected)
    {
        await using var database = NpgsqlDataSource.Create(connection);
        async Task<long> CountAsync()
        {
            await using var command = database.CreateCommand("SELECT count(*) FROM requests");
            return (long)(await command.ExecuteScalarAsync())!;
        }
        long rows;
        try { rows = await Eventually.WaitAsync(CountAsync, count => count >= expected, count => $"{expected} ledger rows (now {count})", TimeSpan.FromSeconds(60)); }
        catch (TimeoutException) { rows = await CountAsync(); }
        var byReplica = new List<(string, long)>();
        await using var grouped = database.CreateCommand("SELECT replica, count(*) FROM requests GROUP BY replica ORDER BY replica");
        await using var reader = await grouped.ExecuteReaderAsync();
        while (await reader.ReadAsync()) byReplica.Add((reader.GetString(0), reader.GetInt64(1)));
        return (rows, byReplica);
    }

    // The scripted model gets a price, in both modes alike, so each reply costs something: the capped member's
    // spend is then really charged to Redis after the reply, as it would be for a real model.
    private const string Prices = """{ "claude-bench": { "input": 3, "output": 15 } }""";

    private static string LocalConfig(string upstream) => $$"""
        { "defaultProvider": "anthropic", "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream}}" } }, "prices": {{Prices}} }
        """;

    private static string TeamConfig(string upstream, string postgres, string redis) => $$"""
        {
          "apiKey": "{{OperatorKey}}",
          "defaultProvider": "anthropic",
          "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream}}", "apiKey": "sk-gateway" } },
          "prices": {{Prices}},
          "team": { "postgres": "{{postgres}}", "redis": "{{redis}}", "publicUrl": "http://127.0.0.1" }
        }
        """;
}
