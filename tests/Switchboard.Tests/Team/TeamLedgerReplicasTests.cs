using System.Net;
using System.Net.Http.Json;
using Shouldly;
using Switchboard.Ledger;
using Switchboard.Team;
using Switchboard.Team.Ledger;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 7: three replicas write one ledger; the team-wide figures any of them serves add up to exactly the
/// requests sent to all of them, by replica and by user.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamLedgerReplicasTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private const string OperatorKey = "operator-key-for-ledger";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeReplicas_OneLedger_TeamWideFiguresAddUpToEveryRequestSent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => WriteJsonAsync(context, TextMessage("claude-sonnet-4-5", "hello")));
        var connection = await postgres.CreateDatabaseAsync();
        await using var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, Cancel);
        var ada = await MemberAsync(database);
        var key = (await new TeamApiKeys(database).CreateAsync(ada.Id, "laptop", [], null, "config", Cancel)).Key;
        var config = $$"""
            {
              "apiKey": "{{OperatorKey}}",
              "defaultProvider": "anthropic",
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "gateway-key" } },
              "team": { "postgres": "{{connection}}", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com" }
            }
            """;
        var replicas = new List<RunningSwitchboard>();
        try
        {
            for (var i = 0; i < 3; i++) replicas.Add(await RunningSwitchboard.StartAsync(config));
            for (var i = 0; i < 12; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: i % 2 == 0)) };
                request.Headers.Add("x-api-key", key);
                using var response = await replicas[i % 3].Client.SendAsync(request, Cancel);
                response.StatusCode.ShouldBe(HttpStatusCode.OK);
                await response.Content.ReadAsStringAsync(Cancel);
            }

            await Eventually.WaitAsync(() => ScalarAsync<long>(database, "SELECT count(*) FROM requests"), count => count >= 12,
                count => $"every replica's requests in the ledger (now {count})", TimeSpan.FromSeconds(30));
            (await ScalarAsync<long>(database, "SELECT count(*) FROM requests")).ShouldBe(12);
            var now = DateTimeOffset.UtcNow;
            var byReplica = new TeamLedgerReader(database).Totals(now.AddHours(-1), now.AddHours(1), UsageGrouping.Replica);
            byReplica.Count.ShouldBe(3);
            byReplica.ShouldAllBe(row => row.Requests == 4);

            using var summaryRequest = new HttpRequestMessage(HttpMethod.Get, "/ui/api/summary?period=today");
            summaryRequest.Headers.Add("x-api-key", OperatorKey);
            using var summary = await replicas[1].Client.SendAsync(summaryRequest, Cancel);
            summary.StatusCode.ShouldBe(HttpStatusCode.OK, await summary.Content.ReadAsStringAsync(Cancel));
            var figures = (await summary.Content.ReadFromJsonAsync(UsageJson.Default.UsageSummary, Cancel))!;
            figures.ByUser.ShouldNotBeNull().ShouldHaveSingleItem().Key.ShouldBe("ada@example.com");
            figures.ByUser[0].Requests.ShouldBe(12, "one replica answers for all three");
        }
        finally
        {
            foreach (var replica in replicas) await replica.DisposeAsync();
        }
    }
}
