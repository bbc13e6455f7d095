using System.Net;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 7: PostgreSQL stopped mid-run and started again loses no request the replica served meanwhile (its
/// queue holds them and the same batch is sent again), and none is counted twice. A real replica, PostgreSQL and Redis.
/// </summary>
public sealed class TeamLedgerOutageTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostgresRestartedMidRun_EveryRequestServedIsInTheLedgerExactlyOnce()
    {
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => WriteJsonAsync(context, TextMessage("claude-sonnet-4-5", "hello")));
        var connection = await postgres.CreateDatabaseAsync();
        await using var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, Cancel);
        var ada = await MemberAsync(database);
        var key = (await new TeamApiKeys(database).CreateAsync(ada.Id, "laptop", [], null, "config", Cancel)).Key;
        await using var replica = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "gateway-key" } },
              "team": { "postgres": "{{connection}};Timeout=2", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com", "keyCacheSeconds": 3600 }
            }
            """);
        async Task SendAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: false)) };
                request.Headers.Add("x-api-key", key);
                using var response = await replica.Client.SendAsync(request, Cancel);
                response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
            }
        }
        async Task<long> LedgerCountAsync() => await ScalarAsync<long>(database, "SELECT count(*) FROM requests WHERE user_id = $1", ada.Id);

        await SendAsync(5);
        await Eventually.WaitAsync(LedgerCountAsync, count => count == 5, count => $"the first 5 requests in the ledger (now {count})", TimeSpan.FromSeconds(30));
        await postgres.StopAsync();
        await SendAsync(7);
        await postgres.StartAsync();

        await Eventually.WaitAsync(LedgerCountAsync, count => count >= 12, count => $"all 12 requests in the ledger (now {count})", TimeSpan.FromSeconds(60));
        (await LedgerCountAsync()).ShouldBe(12);
        (await ScalarAsync<long>(database, "SELECT count(DISTINCT id) FROM requests")).ShouldBe(12);
        replica.Logs.Lines.ShouldContain(line => line.Contains("ledger", StringComparison.OrdinalIgnoreCase) && line.Contains("PostgreSQL", StringComparison.Ordinal),
            "the outage was logged");
    }
}
