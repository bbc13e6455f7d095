using System.Net;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 7: "nothing lost up to the queue bound". With PostgreSQL down, a replica whose
/// <c>ledger.queueSize</c> is 5 serves 8 requests; the 5 that fit are stored once PostgreSQL is back, the 3 past
/// the bound are counted and logged, and every request was answered all the same.
/// </summary>
public sealed class TeamLedgerQueueBoundTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PostgresDown_PastTheQueueBound_TheBoundIsStoredExactly_AndTheRestIsCountedAndLogged()
    {
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => WriteJsonAsync(context, TextMessage("claude-sonnet-4-5", "hello")));
        var connection = await postgres.CreateDatabaseAsync();
        await using var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, Cancel);
        var ada = await MemberAsync(database);
        var key = (await new TeamApiKeys(database).CreateAsync(ada.Id, "laptop", [], null, "config", Cancel)).Key;
        var replica = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "gateway-key" } },
              "ledger": { "queueSize": 5 },
              "team": { "postgres": "{{connection}};Timeout=2", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com", "keyCacheSeconds": 3600 }
            }
            """);
        var stopped = false;
        try
        {
            async Task<long> LedgerCountAsync() => await ScalarAsync<long>(database, "SELECT count(*) FROM requests WHERE user_id = $1", ada.Id);

            async Task SendAsync()
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: false)) };
                request.Headers.Add("x-api-key", key);
                using var response = await replica.Client.SendAsync(request, Cancel);
                response.StatusCode.ShouldBe(HttpStatusCode.OK, "a full ledger queue costs the record, never the reply");
            }
            // One request while PostgreSQL is up, so the replica holds the key, and its record stored: the queue is empty.
            await SendAsync();
            await Eventually.WaitAsync(LedgerCountAsync, count => count == 1, count => $"the first request stored (now {count})");

            await postgres.StopAsync();
            for (var i = 0; i < 8; i++) await SendAsync();
            replica.Logs.All.ShouldContain("1 request(s) not recorded (1 in all since start", customMessage: "the first loss is logged at once");
            await postgres.StartAsync();

            await Eventually.WaitAsync(LedgerCountAsync, count => count >= 6, count => $"the first and the 5 queued stored (now {count})");
            (await LedgerCountAsync()).ShouldBe(6);
            // Stopping logs the losses not yet logged (they are summed at most every 10 s): 3 in all.
            await replica.DisposeAsync();
            stopped = true;
            replica.Logs.All.ShouldContain("(3 in all since start");
        }
        finally
        {
            if (!stopped) await replica.DisposeAsync();
        }
    }
}
