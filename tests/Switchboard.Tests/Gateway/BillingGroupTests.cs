using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using Switchboard.Tests.Team;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// Issue 18, item 4 (gateway protocol, "Billing group"): with <c>team.billingGroupTag</c> set, access tokens carry the
/// <c>billing_group_tag</c> claim; a request's <c>tags</c> entry under it charges the request to that group when the
/// caller is in it, and neither the tags nor their <c>anthropic-beta</c> value reach the upstream.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class BillingGroupTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TaggedGroup_OfTheCaller_IsCharged_AndTagsWithTheirBeta_NeverGoUpstream()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(postgres, redis, teamExtra: ", \"billingGroupTag\": \"team\"");
        var groups = new TeamGroups(gateway.Database);
        var platform = await groups.CreateAsync("platform", "test", Cancel);
        var research = await groups.CreateAsync("research", "test", Cancel);
        await groups.CreateAsync("elsewhere", "test", Cancel);
        foreach (var group in new[] { platform, research }) await groups.AddMemberAsync(group.Id, gateway.UserId, "test", Cancel);
        var bearer = (await new SignInClient(gateway.Replica.Client).SignInAsync(GatewaySignInTests.Email, GatewaySignInTests.Password)).AccessToken;

        using var claims = JsonDocument.Parse(Convert.FromBase64String(Pad(bearer.Split('.')[1])));
        claims.RootElement.GetProperty("billing_group_tag").GetString().ShouldBe("team", "the client reads it to tag its requests");

        (await SendTaggedAsync(gateway, bearer, "research")).ShouldBe(System.Net.HttpStatusCode.OK);
        (await SendTaggedAsync(gateway, bearer, "elsewhere")).ShouldBe(System.Net.HttpStatusCode.OK);

        gateway.Upstream.Requests.Count.ShouldBe(2);
        foreach (var sent in gateway.Upstream.Requests)
        {
            JsonDocument.Parse(sent.BodyText).RootElement.TryGetProperty("tags", out _).ShouldBeFalse(sent.BodyText);
            sent.BodyText.ShouldContain("\"metadata\"", customMessage: "the rest of the body goes up as sent");
            sent.Header("anthropic-beta").ShouldBe("claude-code-20250219,interleaved-thinking-2025-05-14");
        }
        var charged = await Eventually.WaitAsync(
            () => ReadAllAsync(gateway.Database, "SELECT group_id FROM requests WHERE user_id = $1 ORDER BY time", gateway.UserId),
            rows => rows.Count == 2, rows => $"two ledger rows (now {rows.Count})", TimeSpan.FromSeconds(30));
        charged[0].ShouldBe(research.Id, "the tagged group, which the caller is in");
        charged[1].ShouldBe(platform.Id, "a group the caller is not in is not charged: the first of theirs is");
    }

    private static async Task<System.Net.HttpStatusCode> SendTaggedAsync(GatewayUnderTest gateway, string bearer, string group)
    {
        var body = AnthropicWire.Request(stream: false);
        body = body[..body.LastIndexOf('}')] + $",\"metadata\":{{\"user_id\":\"u\"}},\"tags\":{{\"team\":\"{group}\"}}}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", bearer);
        request.Headers.TryAddWithoutValidation("anthropic-beta", $"claude-code-20250219,{BillingGroupTag.Beta},interleaved-thinking-2025-05-14");
        using var response = await gateway.Replica.Client.SendAsync(request, Cancel);
        return response.StatusCode;
    }

    private static async Task<List<Guid>> ReadAllAsync(Npgsql.NpgsqlDataSource database, string sql, Guid user)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter<Guid> { TypedValue = user });
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        var rows = new List<Guid>();
        while (await reader.ReadAsync(Cancel)) rows.Add(reader.GetGuid(0));
        return rows;
    }

    private static string Pad(string base64Url)
    {
        var text = base64Url.Replace('-', '+').Replace('_', '/');
        return text + new string('=', (4 - text.Length % 4) % 4);
    }
}
