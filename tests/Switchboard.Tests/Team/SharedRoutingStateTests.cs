using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Switchboard.Routing;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 8: what replicas share at request speed through Redis. A target that cools down on one replica is
/// skipped by the others; each replica's heartbeat lists it on every <c>/health</c>, with whether all run one config.
/// Each test has a Redis of its own, so no other test's replicas or cool-downs show up in it.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class SharedRoutingStateTests(PostgresServer postgres)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TargetCoolingDownOnReplicaA_IsSkippedByReplicaB_WhichNeverTriedIt()
    {
        await using var redis = await RedisAsync();
        await using var flaky = await ScriptedUpstream.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 500;
            return context.Response.WriteAsync("""{"type":"error","error":{"type":"api_error","message":"down"}}""", Cancel);
        });
        await using var good = await ScriptedUpstream.StartAsync((context, _) => WriteJsonAsync(context, TextMessage("m1", "fine")));
        var (connection, key) = await KeyAsync();
        var config = Config(connection, redis.Url, $$"""
            "retry": { "attempts": 0, "failuresBeforeCooldown": 1, "cooldownSeconds": 600 },
            "routes": { "default": ["flaky:m1", "good:m1"] },
            "providers": {
              "flaky": { "type": "anthropic", "baseUrl": "{{flaky.BaseUrl}}", "apiKey": "k1" },
              "good": { "type": "anthropic", "baseUrl": "{{good.BaseUrl}}", "apiKey": "k2" }
            },
            """);
        await using var a = await RunningSwitchboard.StartAsync(config);
        await using var b = await RunningSwitchboard.StartAsync(config);

        (await SendAsync(a, key)).ShouldBe(HttpStatusCode.OK, "A fell back to the good target after the flaky one failed");
        flaky.Requests.Count.ShouldBe(1);
        await Eventually.WaitAsync(() => b.Server.Targets.IsCoolingDown(new ModelTarget("flaky", "m1")),
            "replica B to learn that flaky:m1 cools down", TimeSpan.FromSeconds(10));
        (await SendAsync(b, key)).ShouldBe(HttpStatusCode.OK);

        flaky.Requests.Count.ShouldBe(1, "B skipped the target A saw failing");
        good.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task ThreeReplicas_ListEachOtherInHealth_AndSameConfigTurnsFalse_WhenOneRunsAnother()
    {
        await using var redis = await RedisAsync();
        var (connection, _) = await KeyAsync();
        var config = Config(connection, redis.Url, "");
        await using var a = await RunningSwitchboard.StartAsync(config);
        await using var b = await RunningSwitchboard.StartAsync(config);
        await using var c = await RunningSwitchboard.StartAsync(config);

        var team = await Eventually.WaitAsync(() => TeamHealthAsync(b), json => json.GetProperty("peers").GetArrayLength() == 3,
            json => $"three peers on /health (got {json})", TimeSpan.FromSeconds(15));
        team.GetProperty("sameConfig").GetBoolean().ShouldBeTrue();
        var ids = team.GetProperty("peers").EnumerateArray().Select(peer => peer.GetProperty("replica").GetString()!).ToList();
        ids.ShouldBe(new[] { a, b, c }.Select(Id).Order(StringComparer.Ordinal).ToList());

        await using var other = await RunningSwitchboard.StartAsync(Config(connection, redis.Url, "\"pingIntervalSeconds\": 7,"));
        var mixed = await Eventually.WaitAsync(() => TeamHealthAsync(a), json => json.GetProperty("peers").GetArrayLength() == 4,
            json => $"four peers on /health (got {json})", TimeSpan.FromSeconds(15));
        mixed.GetProperty("sameConfig").GetBoolean().ShouldBeFalse();
        mixed.GetProperty("peers").EnumerateArray().Where(peer => !peer.GetProperty("sameConfig").GetBoolean())
            .Select(peer => peer.GetProperty("replica").GetString()).ShouldBe([Id(other)]);
    }

    private static string Id(RunningSwitchboard replica) =>
        $"{Environment.MachineName}:{replica.Server.Address.Port}:{Environment.ProcessId}";

    private static async Task<JsonElement> TeamHealthAsync(RunningSwitchboard replica)
    {
        var body = await replica.Client.GetStringAsync("/health", Cancel);
        return JsonDocument.Parse(body).RootElement.GetProperty("team").Clone();
    }

    private static async Task<RedisServer> RedisAsync()
    {
        var redis = new RedisServer();
        await redis.InitializeAsync();
        return redis;
    }

    private async Task<(string Connection, string Key)> KeyAsync()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await using var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, Cancel);
        var user = await MemberAsync(database);
        return (connection, (await new TeamApiKeys(database).CreateAsync(user.Id, "laptop", [], null, "test", Cancel)).Key);
    }

    private static async Task<HttpStatusCode> SendAsync(RunningSwitchboard replica, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request("claude-sonnet-4-5", stream: false)) };
        request.Headers.Add("x-api-key", key);
        using var response = await replica.Client.SendAsync(request, Cancel);
        return response.StatusCode;
    }

    private static string Config(string postgres, string redis, string more) => $$"""
        {
          {{(more.Contains("\"providers\"", StringComparison.Ordinal) ? "" : """
          "providers": { "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:9", "apiKey": "k" } },
          """)}}
          {{more}}
          "defaultProvider": "{{(more.Contains("\"flaky\"", StringComparison.Ordinal) ? "flaky" : "anthropic")}}",
          "team": { "postgres": "{{postgres}}", "redis": "{{redis}}", "publicUrl": "https://switchboard.example.com" }
        }
        """;
}
