using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using Switchboard.Tests.Team;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// Issue 18, item 5: <c>GET /managed/settings</c> as the gateway contract words it (the wrapper, the checksum the
/// client computes, ETag and 304 rules, 404 for no policy, <c>*</c>), the group merge order, the admin API, and the
/// checksums sessions report, shown current or stale. Real replica, PostgreSQL and Redis, a signed-in bearer.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class ManagedSettingsTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private const string OperatorKey = "operator-key-for-admins";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoGroupSetsAny_Is404_AnEmptyObject_IsA200WithEmptySettings()
    {
        await using var gateway = await GatewayAsync();
        var bearer = await SignInAsync(gateway);
        using (var none = await GetAsync(gateway, bearer))
            (await none.ShouldBeAnthropicErrorAsync(HttpStatusCode.NotFound, "not_found_error")).ShouldContain("none of their groups");

        await GroupAsync(gateway, "everyone", "{}");
        using var empty = await GetAsync(gateway, bearer);
        var body = await empty.ShouldBeJsonAsync(HttpStatusCode.OK);

        body.GetProperty("settings").GetRawText().ShouldBe("{}");
        body.GetProperty("checksum").GetString().ShouldBe(Sha("{}"));
        Guid.TryParse(body.GetProperty("uuid").GetString(), out _).ShouldBeTrue();
        empty.Headers.ETag!.Tag.ShouldBe($"\"{Sha("{}")}\"");
    }

    [Fact]
    public async Task Settings_MergeGroupsByName_AndTheChecksumIsTheSortedCompactJson()
    {
        await using var gateway = await GatewayAsync();
        var bearer = await SignInAsync(gateway);
        await GroupAsync(gateway, "b-later", """{"env":{"B":"from later","C":"<&\u00e9\u2028"},"model":"claude-opus-4-1","permissions":{"deny":["Bash(rm:*)"]}}""");
        await GroupAsync(gateway, "a-first", """{"z":1,"env":{"B":"from first","A":"x"},"model":"claude-sonnet-4-5","permissions":{"allow":["Read"],"deny":["WebFetch"]}}""");

        using var response = await GetAsync(gateway, bearer);
        var body = await response.ShouldBeJsonAsync(HttpStatusCode.OK);

        // Written out by hand: keys sorted at every level, no whitespace, only what JSON.stringify escapes escaped.
        const string canonical = "{\"env\":{\"A\":\"x\",\"B\":\"from later\",\"C\":\"<&\u00e9\u2028\"},\"model\":\"claude-opus-4-1\"," +
                                 "\"permissions\":{\"allow\":[\"Read\"],\"deny\":[\"Bash(rm:*)\"]},\"z\":1}";
        body.GetProperty("checksum").GetString().ShouldBe(Sha(canonical));
        ManagedSettings.Canonical(JsonNode.Parse(body.GetProperty("settings").GetRawText())).ShouldBe(canonical);
    }

    [Fact]
    public void Canonical_EscapesAsJsonStringify_ControlCharactersAndLoneSurrogates_NothingElse()
    {
        var node = new JsonObject { ["k"] = "tab\tquote\"back\\nul\u0001lone\ud800pair\ud83d\ude00/<>" };

        ManagedSettings.Canonical(node).ShouldBe("{\"k\":\"tab\\tquote\\\"back\\\\nul\\u0001lone\\ud800pair\ud83d\ude00/<>\"}");
        ManagedSettings.Canonical(JsonNode.Parse("""{"n":1.0,"m":2.5,"big":12345678901}""")).ShouldBe("""{"big":12345678901,"m":2.5,"n":1}""");
    }

    [Fact]
    public async Task IfNoneMatch_TheChecksum_Is304_AnotherIs200_AndStarIsNever304()
    {
        await using var gateway = await GatewayAsync();
        var bearer = await SignInAsync(gateway);
        await GroupAsync(gateway, "everyone", """{"env":{"X":"1"}}""");
        var checksum = Sha("""{"env":{"X":"1"}}""");

        using var matching = await GetAsync(gateway, bearer, $"\"{checksum}\"");
        using var other = await GetAsync(gateway, bearer, "\"sha256:0000\"");
        using var star = await GetAsync(gateway, bearer, "*");

        matching.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        matching.Headers.ETag!.Tag.ShouldBe($"\"{checksum}\"");
        (await matching.Content.ReadAsStringAsync(Cancel)).ShouldBeEmpty();
        other.StatusCode.ShouldBe(HttpStatusCode.OK);
        star.StatusCode.ShouldBe(HttpStatusCode.OK, "* asks whether there are settings; a 304 to it would stop Claude Desktop's session");
    }

    [Fact]
    public async Task AdminApi_SetsShowsAndClears_RefusesANonObject_AndReportsShowStaleChecksums()
    {
        await using var gateway = await GatewayAsync();
        var bearer = await SignInAsync(gateway);
        await GroupAsync(gateway, "everyone", null);
        var admin = gateway.Replica.Client;

        using (var refused = await SendAdminAsync(admin, HttpMethod.Put, "/api/team/groups/everyone/settings", "[1,2]"))
            (await refused.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("JSON object");
        using (var set = await SendAdminAsync(admin, HttpMethod.Put, "/api/team/groups/everyone/settings", """{"env":{"V":"1"}}"""))
            (await set.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("checksum").GetString().ShouldBe(Sha("""{"env":{"V":"1"}}"""));
        await MessageAsync(gateway, bearer, Sha("""{"env":{"V":"1"}}"""));
        await MessageAsync(gateway, bearer, "sha256:an-edited-machine");

        var reports = await ReportsAsync(admin);
        reports.ShouldContain($"{GatewaySignInTests.Email} {Sha("""{"env":{"V":"1"}}""")} current");
        reports.ShouldContain($"{GatewaySignInTests.Email} sha256:an-edited-machine stale");

        using (var changed = await SendAdminAsync(admin, HttpMethod.Put, "/api/team/groups/everyone/settings", """{"env":{"V":"2"}}""")) { }
        (await ReportsAsync(admin)).ShouldContain($"{GatewaySignInTests.Email} {Sha("""{"env":{"V":"1"}}""")} stale");
        using (var cleared = await SendAdminAsync(admin, HttpMethod.Delete, "/api/team/groups/everyone/settings", null))
            (await cleared.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("settings").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        using var gone = await GetAsync(gateway, bearer);
        gone.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await AuditAsync(gateway.Database, "admin_change")).Count(row => row.Contains("managed_settings")).ShouldBe(3);
    }

    private Task<GatewayUnderTest> GatewayAsync() =>
        GatewayUnderTest.StartAsync(postgres, redis, extraTopLevel: $"\"apiKey\": \"{OperatorKey}\",");

    private static async Task<string> SignInAsync(GatewayUnderTest gateway) =>
        (await new SignInClient(gateway.Replica.Client).SignInAsync(GatewaySignInTests.Email, GatewaySignInTests.Password)).AccessToken;

    private static async Task GroupAsync(GatewayUnderTest gateway, string name, string? settings)
    {
        var groups = new TeamGroups(gateway.Database);
        var group = await groups.CreateAsync(name, "test", Cancel);
        await groups.AddMemberAsync(group.Id, gateway.UserId, "test", Cancel);
        if (settings is not null) await new GroupSettings(gateway.Database).SetAsync(group.Id, JsonNode.Parse(settings)!.AsObject(), "test", Cancel);
        // As the admin API does after a membership change: the replica holds the session's groups.
        await gateway.Replica.Server.Team!.Invalidation.PublishAsync(gateway.UserId);
    }

    private static async Task<HttpResponseMessage> GetAsync(GatewayUnderTest gateway, string bearer, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/managed/settings");
        request.Headers.Authorization = new("Bearer", bearer);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return await gateway.Replica.Client.SendAsync(request, Cancel);
    }

    private static async Task MessageAsync(GatewayUnderTest gateway, string bearer, string checksum)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: false)) };
        request.Headers.Authorization = new("Bearer", bearer);
        request.Headers.Add("x-claude-code-managed-settings-checksum", checksum);
        using var response = await gateway.Replica.Client.SendAsync(request, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> SendAdminAsync(HttpClient client, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        request.Headers.Add("x-api-key", OperatorKey);
        return await client.SendAsync(request, Cancel);
    }

    private static async Task<List<string>> ReportsAsync(HttpClient client)
    {
        using var response = await SendAdminAsync(client, HttpMethod.Get, "/api/team/settings/reports", null);
        var body = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        return [.. body.GetProperty("reports").EnumerateArray().Select(report =>
            $"{report.GetProperty("email").GetString()} {report.GetProperty("checksum").GetString()} {(report.GetProperty("current").GetBoolean() ? "current" : "stale")}")];
    }

    private static string Sha(string canonical) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
}
