using System.Net;
using System.Net.Http.Json;
using Shouldly;
using Switchboard.Hosting.Team.Admin;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Team.TeamAdminApiTests;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, items 4, 5 and 9: limits and group policies set through the admin API take effect on the next request
/// (the replica caches both, so this also proves the change was announced), are refused with a 400 that says what to
/// fix when they are wrong, and are audited with the operator as the actor.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamAdminLimitsAndPolicyTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Limits_SetThroughTheApi_RefuseTheNextRequest_AndDeletingThemLetsItThrough()
    {
        await using var world = await World.StartAsync(postgres, redis);
        var ada = await world.UserKeyAsync("ada@example.com", TeamUser.Member);
        (await world.MessageAsync(ada)).ShouldBe(HttpStatusCode.OK, "no limit yet");

        using var bad = await world.SendAsync(HttpMethod.Put, "/api/team/limits", OperatorKey,
            """{"subject":"user","of":"ada@example.com","kind":"spend_usd","amount":5}""");
        (await bad.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("day, week or month");
        using var set = await world.SendAsync(HttpMethod.Put, "/api/team/limits", OperatorKey,
            """{"subject":"user","of":"ada@example.com","kind":"requests_per_minute","amount":1}""");
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Cancel));
        var limit = (await set.Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminLimitChange, Cancel))!;
        limit.ReplicasTold.ShouldBeTrue();

        (await world.MessageAsync(ada)).ShouldBe(HttpStatusCode.OK, "the first request of the minute");
        (await world.MessageAsync(ada)).ShouldBe(HttpStatusCode.TooManyRequests, "the limit of one a minute, read afresh though the replica caches limits");
        var listed = (await (await world.SendAsync(HttpMethod.Get, "/api/team/limits", OperatorKey)).Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminLimitList, Cancel))!;
        listed.Limits.ShouldHaveSingleItem().Kind.ShouldBe("requests_per_minute");

        using var deleted = await world.SendAsync(HttpMethod.Delete, $"/api/team/limits/{limit.Limit!.Id}", OperatorKey);
        deleted.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.MessageAsync(ada)).ShouldBe(HttpStatusCode.OK, "no limit any more");
        using var again = await world.SendAsync(HttpMethod.Delete, $"/api/team/limits/{limit.Limit.Id}", OperatorKey);
        await again.ShouldBeAnthropicErrorAsync(HttpStatusCode.NotFound, "not_found_error");

        var audit = await AuditAsync(world.Database, TeamAudit.AdminChange);
        audit.Where(row => row.Contains("limit_", StringComparison.Ordinal)).Select(row => row.Split(' ')[0]).ShouldBe(["operator", "operator"]);
        audit.ShouldContain(row => row.Contains("\"limit_set\"", StringComparison.Ordinal));
        audit.ShouldContain(row => row.Contains("\"limit_deleted\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupPolicy_SetThroughTheApi_DeniesAModelTheGroupMayNotUse_AndABadPolicyIsRefused()
    {
        await using var world = await World.StartAsync(postgres, redis);
        var ada = await world.UserKeyAsync("ada@example.com", TeamUser.Member);
        (await world.SendAsync(HttpMethod.Post, "/api/team/groups", OperatorKey, """{"name":"research"}""")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await world.SendAsync(HttpMethod.Post, "/api/team/groups/research/members", OperatorKey, """{"user":"ada@example.com"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.MessageAsync(ada)).ShouldBe(HttpStatusCode.OK, "an open group allows everything");

        using var bad = await world.SendAsync(HttpMethod.Put, "/api/team/groups/research/policy", OperatorKey, """{"defaultModel":"nowhere:some-model"}""");
        (await bad.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("nowhere");
        using var set = await world.SendAsync(HttpMethod.Put, "/api/team/groups/research/policy", OperatorKey, """{"allowedModels":["claude-haiku-*"]}""");
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Cancel));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(stream: false)) };
        request.Headers.Add("x-api-key", ada);
        using var denied = await world.Replica.Client.SendAsync(request, Cancel);
        (await denied.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("claude-haiku-*");
        var shown = (await (await world.SendAsync(HttpMethod.Get, "/api/team/groups/research/policy", OperatorKey)).Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminGroupPolicy, Cancel))!;
        shown.AllowedModels.ShouldBe(["claude-haiku-*"]);
        (await AuditAsync(world.Database, TeamAudit.AdminChange)).ShouldContain(row => row.StartsWith("operator ", StringComparison.Ordinal) && row.Contains("group_policy_set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupPolicy_SetThroughOneReplica_HoldsAtOnceOnEveryReplica_AndThroughHaproxy()
    {
        await using var world = await World.StartAsync(postgres, redis);
        await using var second = await world.AnotherReplicaAsync();
        await using var third = await world.AnotherReplicaAsync();
        RunningSwitchboard[] replicas = [world.Replica, second, third];
        await using var haproxy = await HaproxyServer.StartAsync([.. replicas.Select(replica => replica.Address.Port)]);
        await haproxy.WaitForBackendsAsync("UP");
        using var balancer = new HttpClient { BaseAddress = new Uri(haproxy.BaseUrl) };
        var ada = await world.UserKeyAsync("ada@example.com", TeamUser.Member);
        (await world.SendAsync(HttpMethod.Post, "/api/team/groups", OperatorKey, """{"name":"research"}""")).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await world.SendAsync(HttpMethod.Post, "/api/team/groups/research/members", OperatorKey, """{"user":"ada@example.com"}""")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Every replica now holds ada's key and her group's open policy in its cache (kept for an hour in this config).
        foreach (var replica in replicas) (await World.MessageAsync(replica.Client, ada)).ShouldBe(HttpStatusCode.OK);

        using var set = await Send(second.Client, HttpMethod.Put, "/api/team/groups/research/policy", OperatorKey, """{"allowedModels":["claude-haiku-*"]}""");
        set.StatusCode.ShouldBe(HttpStatusCode.OK, await set.Content.ReadAsStringAsync(Cancel));

        foreach (var replica in replicas)
            (await World.MessageAsync(replica.Client, ada)).ShouldBe(HttpStatusCode.BadRequest, $"replica {replica.Address.Port} heard the change on Redis");
        for (var i = 0; i < replicas.Length; i++)
            (await World.MessageAsync(balancer, ada)).ShouldBe(HttpStatusCode.BadRequest, "whichever replica the balancer picks");
    }
}
