using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, items 5 and 6 through the real HTTP surface: replicas (in-process servers on port 0) sharing a real
/// PostgreSQL and Redis admit, refuse and report a user's limits exactly as the gateway protocol's "Usage-limit
/// headers" and "Errors" sections say. Every reply costs $0.40 (10 input tokens at $40,000 a million); the replicas
/// share one frozen clock, so windows and reset times are known to the second.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamLimitsRequestTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private const string Unified = "anthropic-ratelimit-unified-";
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 15, 30, 20, TimeSpan.Zero);
    private static readonly long Midnight = new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DailyCap_ReachedThroughThreeReplicas_RefusesTheNextRequest_WithTheExact429_OnEveryReplica()
    {
        await using var team = await TeamAsync();
        await team.Limits.SetAsync(TeamLimit.User, team.UserId, TeamLimit.SpendUsd, TeamLimit.Day, 1.00m, Cancel);
        var replicas = await team.ReplicasAsync(3);

        // $0 + $0.40 + $0.40 spent before each: the third starts at 80% (below the cap) and so runs, to $1.20.
        for (var i = 0; i < 3; i++)
        {
            using var reply = await team.SendAsync(replicas[i]);
            reply.StatusCode.ShouldBe(HttpStatusCode.OK);
            if (i == 2)
            {
                Header(reply, Unified + "status").ShouldBe("allowed_warning");
                Header(reply, Unified + "overage-utilization").ShouldBe("0.80");
                Header(reply, Unified + "overage-surpassed-threshold").ShouldBe("0.75");
            }
            await team.ChargedAsync(replicas[(i + 1) % 3], 40 * (i + 1));
        }

        foreach (var replica in replicas)
        {
            using var refused = await team.SendAsync(replica);
            var message = await refused.ShouldBeAnthropicErrorAsync((HttpStatusCode)429, "billing_error");
            message.ShouldBe("Your daily spend limit reached ($1.20 of $1.00) · resets Dec 4, 00:00 UTC · ask your Switchboard admin for an increase");
            Header(refused, "retry-after").ShouldBe((Midnight - Now.ToUnixTimeSeconds()).ToString(CultureInfo.InvariantCulture));
            Header(refused, "x-should-retry").ShouldBe("false");
            UnifiedHeaders(refused).ShouldBe(new Dictionary<string, string>
            {
                [Unified + "status"] = "rejected",
                [Unified + "reset"] = Midnight.ToString(CultureInfo.InvariantCulture),
                [Unified + "overage-reset"] = Midnight.ToString(CultureInfo.InvariantCulture),
                [Unified + "overage-utilization"] = "1",
                [Unified + "overage-surpassed-threshold"] = "1",
                [Unified + "overage-period"] = "daily",
                [Unified + "overage-disabled-reason"] = "org_spend_cap_reached",
            }, ignoreOrder: true);
        }
        team.Upstream.Requests.Count.ShouldBe(3, "no refused request reached the provider");
        foreach (var replica in replicas) await replica.Server.Team!.Authenticator.FlushActivityAsync(Cancel);
        (await AuditAsync(team.Database, TeamAudit.Block)).ShouldBe(
            Enumerable.Repeat($"{team.UserId} {team.KeyId} {{\"count\": \"1\", \"reason\": \"spend_cap\"}}", 3),
            "each replica audits the refusal it made");
    }

    [Fact]
    public async Task DailyCap_ReachedThroughHaproxy_SpreadOverThreeReplicas_IsRefusedByEachReplicaAndTheBalancer()
    {
        await using var team = await TeamAsync();
        await team.Limits.SetAsync(TeamLimit.User, team.UserId, TeamLimit.SpendUsd, TeamLimit.Day, 1.00m, Cancel);
        var replicas = await team.ReplicasAsync(3);
        await using var haproxy = await HaproxyServer.StartAsync([.. replicas.Select(replica => replica.Address.Port)]);
        await haproxy.WaitForBackendsAsync("UP");
        using var balancer = new HttpClient { BaseAddress = new Uri(haproxy.BaseUrl) };

        for (var i = 0; i < 3; i++)
        {
            using var reply = await team.SendAsync(balancer);
            reply.StatusCode.ShouldBe(HttpStatusCode.OK);
            await team.ChargedAsync(replicas[0], 40 * (i + 1));
        }

        replicas.ShouldAllBe(replica => replica.Logs.Lines.Any(line => line.Contains("claude-sonnet-4-5", StringComparison.Ordinal)),
            "round robin gave each replica one of the three");
        using (var refused = await team.SendAsync(balancer))
            (await refused.ShouldBeAnthropicErrorAsync((HttpStatusCode)429, "billing_error")).ShouldContain("resets Dec 4, 00:00 UTC");
        foreach (var replica in replicas)
        {
            using var refused = await team.SendAsync(replica);
            (await refused.ShouldBeAnthropicErrorAsync((HttpStatusCode)429, "billing_error")).ShouldStartWith("Your daily spend limit reached ($1.20 of $1.00)");
            Header(refused, Unified + "overage-disabled-reason").ShouldBe("org_spend_cap_reached");
        }
        team.Upstream.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task GroupBudget_At96Percent_FromTheLedger_SendsTheWarningHeaders_AndUsageAgreesToTheSecond()
    {
        await using var team = await TeamAsync();
        await team.Limits.SetAsync(TeamLimit.Group, team.GroupId, TeamLimit.SpendUsd, TeamLimit.Month, 10.00m, Cancel);
        await LimitCountersTests.LedgerRowAsync(team.Database, team.UserId, Now.AddDays(-1), 9.60);
        await ExecuteAsync(team.Database, "UPDATE requests SET group_id = $1", team.GroupId);
        var replica = (await team.ReplicasAsync(1))[0];

        using var reply = await team.SendAsync(replica);

        reply.StatusCode.ShouldBe(HttpStatusCode.OK);
        var reset = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        UnifiedHeaders(reply).ShouldBe(new Dictionary<string, string>
        {
            [Unified + "status"] = "allowed_warning",
            [Unified + "representative-claim"] = "overage",
            [Unified + "overage-status"] = "allowed_warning",
            [Unified + "overage-utilization"] = "0.96",
            [Unified + "overage-surpassed-threshold"] = "0.95",
            [Unified + "reset"] = reset,
            [Unified + "overage-reset"] = reset,
            [Unified + "overage-scope"] = "group_pool",
        }, ignoreOrder: true);

        await team.ChargedAsync(replica, 1000);
        using var usage = await team.UsageAsync(replica);
        Header(usage, "cache-control").ShouldBe("no-store");
        var json = JsonDocument.Parse(await usage.Content.ReadAsStringAsync(Cancel)).RootElement;
        json.GetProperty("extra_usage").GetRawText().ShouldBe("""{"is_enabled":true,"monthly_limit":1000,"used_credits":1000,"utilization":100,"currency":"USD"}""");
        json.GetProperty("limits").GetRawText().ShouldBe("""[{"kind":"spend","group":"monthly","percent":100,"resets_at":"2027-01-01T00:00:00.000Z","severity":"critical","is_active":true}]""");
    }

    [Fact]
    public async Task UserWithNoCap_GetsNoUnifiedHeaders_NoneOfTheUpstreams_AndUsageShowsTheirSpend()
    {
        await using var team = await TeamAsync(upstreamHeaders: true);
        await LimitCountersTests.LedgerRowAsync(team.Database, team.UserId, Now.AddHours(-2), 1.25);
        await LimitCountersTests.LedgerRowAsync(team.Database, team.UserId, new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), 2.00);
        var replica = (await team.ReplicasAsync(1))[0];

        // The usage first: the request below is written to the shared ledger too, in the background.
        using var usage = await team.UsageAsync(replica);
        (await usage.Content.ReadAsStringAsync(Cancel)).ShouldBe(
            """{"extra_usage":{"is_enabled":true,"monthly_limit":null,"used_credits":325,"utilization":null,"currency":"USD","daily":{"limit":null,"used_credits":125,"utilization":null},"weekly":{"limit":null,"used_credits":325,"utilization":null}},"limits":[]}""");
        using var reply = await team.SendAsync(replica);

        reply.StatusCode.ShouldBe(HttpStatusCode.OK);
        reply.Headers.Select(header => header.Key).ShouldNotContain(name => name.StartsWith("anthropic-ratelimit-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task CappedUser_GetsTheGatewaysUnifiedHeaders_InPlaceOfTheUpstreams()
    {
        await using var team = await TeamAsync(upstreamHeaders: true);
        await team.Limits.SetAsync(TeamLimit.User, team.UserId, TeamLimit.SpendUsd, TeamLimit.Week, 100m, Cancel);
        var replica = (await team.ReplicasAsync(1))[0];

        using var reply = await team.SendAsync(replica);

        reply.Headers.Select(header => header.Key).ShouldNotContain("anthropic-ratelimit-requests-limit");
        Header(reply, Unified + "status").ShouldBe("allowed");
        Header(reply, Unified + "overage-utilization").ShouldBe("0.00", "the user's weekly budget, not the provider account's 0.99");
        Header(reply, Unified + "overage-surpassed-threshold").ShouldBeNull("omitted below 75%");
        Header(reply, Unified + "reset").ShouldBe(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task RequestRate_CountsAcrossReplicas_AndTheNextIsA429RateLimitError_WithRetryAfter()
    {
        await using var team = await TeamAsync();
        await team.Limits.SetAsync(TeamLimit.Key, team.KeyId, TeamLimit.RequestsPerMinute, null, 2, Cancel);
        var replicas = await team.ReplicasAsync(3);

        using (var first = await team.SendAsync(replicas[0])) first.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var second = await team.SendAsync(replicas[1])) second.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var third = await team.SendAsync(replicas[2]);

        (await third.ShouldBeAnthropicErrorAsync((HttpStatusCode)429, "rate_limit_error")).ShouldContain("2 requests a minute is the limit for this key");
        Header(third, "retry-after").ShouldBe("40");
        team.Upstream.Requests.Count.ShouldBe(2);
        await replicas[2].Server.Team!.Authenticator.FlushActivityAsync(Cancel);
        (await AuditAsync(team.Database, TeamAudit.Block)).ShouldBe([$"{team.UserId} {team.KeyId} {{\"count\": \"1\", \"reason\": \"requests_per_minute\"}}"]);
    }

    [Fact]
    public async Task ConcurrencySlot_IsTakenWhileAReplyRuns_AndFreedWhenItEnds()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var team = await TeamAsync(hold: async () => { started.TrySetResult(); await release.Task; });
        await team.Limits.SetAsync(TeamLimit.User, team.UserId, TeamLimit.ConcurrentRequests, null, 1, Cancel);
        var replicas = await team.ReplicasAsync(2);

        var running = team.SendAsync(replicas[0]);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        using (var refused = await team.SendAsync(replicas[1]))
            (await refused.ShouldBeAnthropicErrorAsync((HttpStatusCode)429, "rate_limit_error")).ShouldContain("1 requests at a time is the limit for you");
        release.SetResult();
        using (var done = await running) done.StatusCode.ShouldBe(HttpStatusCode.OK);

        await Eventually.WaitAsync(async () => { using var next = await team.SendAsync(replicas[1]); return next.StatusCode; },
            status => status == HttpStatusCode.OK, status => $"the slot to be free once the reply ended (got {status})", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RedisDown_Refuse_IsTheFetchError429_AndAllow_LetsRequestsThrough_CountedAndLoggedOnce()
    {
        await using var ownRedis = new RedisServer();
        await ownRedis.InitializeAsync();
        await using var team = await TeamAsync(redisUrl: ownRedis.Url);
        await team.Limits.SetAsync(TeamLimit.User, team.UserId, TeamLimit.SpendUsd, TeamLimit.Day, 5m, Cancel);
        var refusing = (await team.ReplicasAsync(1))[0];
        var allowing = (await team.ReplicasAsync(1, whenRedisDown: "allow"))[0];
        using (var before = await team.SendAsync(refusing)) before.StatusCode.ShouldBe(HttpStatusCode.OK);

        await ownRedis.StopAsync();
        await Eventually.WaitAsync(() => !refusing.Server.Team!.Redis.IsConnected && !allowing.Server.Team!.Redis.IsConnected,
            "both replicas to notice Redis is gone", TimeSpan.FromSeconds(30));

        using var refused = await team.SendAsync(refusing);
        (await refused.ShouldBeAnthropicErrorAsync((HttpStatusCode)429, "billing_error")).ShouldContain("cannot check your usage limits right now");
        Header(refused, "x-should-retry").ShouldBe("false");
        refused.Headers.Contains("retry-after").ShouldBeFalse("the fail-closed 429 carries x-should-retry: false and nothing else");
        UnifiedHeaders(refused).ShouldBe(new Dictionary<string, string> { [Unified + "overage-disabled-reason"] = "fetch_error" });
        for (var i = 0; i < 2; i++)
            using (var allowed = await team.SendAsync(allowing)) allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var metrics = await team.GetAsync(allowing, "/metrics");
        (await metrics.Content.ReadAsStringAsync(Cancel)).ShouldContain("switchboard_team_limits_unchecked_total 2\n");
        allowing.Logs.Lines.Count(line => line.Contains("letting requests through unchecked", StringComparison.Ordinal)).ShouldBe(1);
        team.Upstream.Requests.Count.ShouldBe(3);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : null;

    private static Dictionary<string, string> UnifiedHeaders(HttpResponseMessage response) =>
        response.Headers.Where(header => header.Key.StartsWith(Unified, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(header => header.Key.ToLowerInvariant(), header => string.Join(",", header.Value));

    private async Task<Team> TeamAsync(bool upstreamHeaders = false, Func<Task>? hold = null, string? redisUrl = null)
    {
        var upstream = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            if (hold is not null) await hold();
            if (upstreamHeaders)
            {
                context.Response.Headers["anthropic-ratelimit-requests-limit"] = "4000";
                context.Response.Headers["anthropic-ratelimit-unified-status"] = "allowed_warning";
                context.Response.Headers["anthropic-ratelimit-unified-overage-utilization"] = "0.99";
            }
            await WriteJsonAsync(context, TextMessage("claude-sonnet-4-5", "hello"));
        });
        var connection = await postgres.CreateDatabaseAsync();
        var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, Cancel);
        var user = await MemberAsync(database);
        var group = await new TeamGroups(database).CreateAsync("platform", "test", Cancel);
        await new TeamGroups(database).AddMemberAsync(group.Id, user.Id, "test", Cancel);
        var key = await new TeamApiKeys(database).CreateAsync(user.Id, "laptop", [], null, "test", Cancel);
        return new Team(upstream, database, connection, redisUrl ?? redis.Url, user.Id, group.Id, key.Info.Id, key.Key);
    }

    private sealed class Team(ScriptedUpstream upstream, NpgsqlDataSource database, string connection, string redisUrl,
        Guid userId, Guid groupId, Guid keyId, string key) : IAsyncDisposable
    {
        private readonly List<RunningSwitchboard> _replicas = [];
        public FakeTimeProvider Clock { get; } = new(Now);
        public ScriptedUpstream Upstream => upstream;
        public NpgsqlDataSource Database => database;
        public TeamLimits Limits { get; } = new(database);
        public Guid UserId => userId;
        public Guid GroupId => groupId;
        public Guid KeyId => keyId;

        public async Task<RunningSwitchboard[]> ReplicasAsync(int count, string whenRedisDown = "refuse")
        {
            var started = await Task.WhenAll(Enumerable.Range(0, count).Select(_ =>
                RunningSwitchboard.StartAsync(Config(whenRedisDown), options => options with { Time = Clock })));
            _replicas.AddRange(started);
            return started;
        }

        public Task<HttpResponseMessage> SendAsync(RunningSwitchboard replica) => SendAsync(replica.Client);

        public Task<HttpResponseMessage> SendAsync(HttpClient client)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: false)) };
            request.Headers.Add("x-api-key", key);
            return client.SendAsync(request, Cancel);
        }

        public Task<HttpResponseMessage> UsageAsync(RunningSwitchboard replica) => GetAsync(replica, "/api/oauth/usage");

        public Task<HttpResponseMessage> GetAsync(RunningSwitchboard replica, string path)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new("Bearer", key);
            return replica.Client.SendAsync(request, Cancel);
        }

        /// <summary>Charges land after the reply (off the request path): waits until the usage endpoint shows them.</summary>
        public Task ChargedAsync(RunningSwitchboard replica, long cents) => Eventually.WaitAsync(async () =>
        {
            using var usage = await UsageAsync(replica);
            return JsonDocument.Parse(await usage.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("extra_usage").GetProperty("used_credits").GetInt64();
        }, used => used == cents, used => $"{cents} cents charged (seen {used})", TimeSpan.FromSeconds(10));

        private string Config(string whenRedisDown) => $$"""
            {
              "defaultProvider": "anthropic",
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "gateway-key" } },
              "prices": { "claude-sonnet-4-5": { "input": 40000, "output": 0 } },
              "team": {
                "postgres": "{{connection}}",
                "redis": "{{redisUrl}}",
                "publicUrl": "https://switchboard.example.com",
                "whenRedisDown": "{{whenRedisDown}}"
              }
            }
            """;

        public async ValueTask DisposeAsync()
        {
            foreach (var replica in _replicas) await replica.DisposeAsync();
            await upstream.DisposeAsync();
            await database.DisposeAsync();
        }
    }
}
