using System.Net;
using System.Net.Http.Json;
using System.Text;
using Npgsql;
using Shouldly;
using Switchboard.Hosting.Team.Admin;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 9: the admin API under /api/team, through a real server on real PostgreSQL and Redis. Only the
/// operator key or an admin user's key may use it; each change is audited with that admin as the actor; a revoked
/// key or a disabled user stops working at once.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamAdminApiTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    internal const string OperatorKey = "operator-key-for-admins";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AdminApi_AnswersTheOperatorAndAdminUsers_RefusesMembersWith403_AndNoKeyWith401()
    {
        await using var world = await World.StartAsync(postgres, redis);
        var admin = await world.UserKeyAsync("root@example.com", TeamUser.Admin);
        var member = await world.UserKeyAsync("ada@example.com", TeamUser.Member);

        (await world.SendAsync(HttpMethod.Get, "/api/team/users", OperatorKey)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.SendAsync(HttpMethod.Get, "/api/team/users", admin)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var refused = await world.SendAsync(HttpMethod.Get, "/api/team/users", member);
        (await refused.ShouldBeAnthropicErrorAsync(HttpStatusCode.Forbidden, "permission_error")).ShouldContain("needs an admin key");
        using var anonymous = await world.SendAsync(HttpMethod.Post, "/api/team/users", null, """{"email":"eve@example.com"}""");
        await anonymous.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error");
        (await new TeamUsers(world.Database).FindByEmailAsync("eve@example.com", Cancel)).ShouldBeNull("a refused call changes nothing");
    }

    [Fact]
    public async Task Users_CreateListShowRoleDisableEnable_AuditedWithTheAdminAsActor()
    {
        await using var world = await World.StartAsync(postgres, redis);
        var admin = await world.UserKeyAsync("root@example.com", TeamUser.Admin);
        var adminId = (await new TeamUsers(world.Database).FindByEmailAsync("root@example.com", Cancel))!.Id;

        using var created = await world.SendAsync(HttpMethod.Post, "/api/team/users", admin, """{"email":"ada@example.com","displayName":"Ada"}""");
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var ada = (await created.Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminUserChange, Cancel))!.User;
        ada.Role.ShouldBe("member");
        using var duplicate = await world.SendAsync(HttpMethod.Post, "/api/team/users", admin, """{"email":"ada@example.com"}""");
        (await duplicate.ShouldBeAnthropicErrorAsync(HttpStatusCode.Conflict, "invalid_request_error")).ShouldContain("already exists");
        using var noEmail = await world.SendAsync(HttpMethod.Post, "/api/team/users", admin, """{"displayName":"Nobody"}""");
        (await noEmail.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("needs an \"email\"");
        using var badRole = await world.SendAsync(HttpMethod.Post, "/api/team/users/ada@example.com/role", admin, """{"role":"owner"}""");
        (await badRole.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("member or admin, not owner");
        using var notJson = await world.SendAsync(HttpMethod.Post, "/api/team/users", admin, "{email");
        await notJson.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error");
        using var unknown = await world.SendAsync(HttpMethod.Get, $"/api/team/users/{Guid.NewGuid()}", admin);
        (await unknown.ShouldBeAnthropicErrorAsync(HttpStatusCode.NotFound, "not_found_error")).ShouldContain("There is no user");

        var list = (await (await world.SendAsync(HttpMethod.Get, "/api/team/users", admin)).Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminUserList, Cancel))!;
        list.Users.Select(user => user.Email).ShouldBe(["ada@example.com", "root@example.com"]);

        var promoted = await world.ChangeAsync($"/api/team/users/{ada.Id}/role", admin, """{"role":"admin"}""");
        promoted.User.Role.ShouldBe("admin");
        promoted.ReplicasTold.ShouldBe(true);
        var disabled = await world.ChangeAsync("/api/team/users/ada@example.com/disable", admin);
        disabled.User.Disabled.ShouldBeTrue();
        (await world.ChangeAsync("/api/team/users/ada@example.com/enable", admin)).User.Disabled.ShouldBeFalse();
        var shown = (await (await world.SendAsync(HttpMethod.Get, "/api/team/users/ada@example.com", admin)).Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminUserChange, Cancel))!;
        shown.User.Role.ShouldBe("admin");

        var audit = await AuditAsync(world.Database, TeamAudit.AdminChange);
        audit.Where(row => row.Contains(ada.Id.ToString(), StringComparison.Ordinal)).Select(Change).ShouldBe(
            ["user_created", "role_changed", "user_disabled", "user_enabled"]);
        audit.Where(row => row.Contains(ada.Id.ToString(), StringComparison.Ordinal)).ShouldAllBe(row => row.StartsWith(adminId + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisablingAUser_StopsTheirKey_AndEnablingRestoresIt()
    {
        await using var world = await World.StartAsync(postgres, redis, answering: true);
        var member = await world.UserKeyAsync("ada@example.com", TeamUser.Member);
        (await world.MessageAsync(member)).ShouldBe(HttpStatusCode.OK, "the replica now caches the key");

        (await world.ChangeAsync("/api/team/users/ada@example.com/disable", OperatorKey)).ReplicasTold.ShouldBe(true);
        (await world.MessageAsync(member)).ShouldBe(HttpStatusCode.Unauthorized);
        await world.ChangeAsync("/api/team/users/ada@example.com/enable", OperatorKey);
        (await world.MessageAsync(member)).ShouldBe(HttpStatusCode.OK);
        (await AuditAsync(world.Database, TeamAudit.AdminChange)).Where(row => row.Contains("user_disabled", StringComparison.Ordinal))
            .ShouldAllBe(row => row.StartsWith(TeamAdminEndpoints.OperatorActor + " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Groups_CreateAddListRemoveDelete_AndTheirErrors()
    {
        await using var world = await World.StartAsync(postgres, redis);
        await world.UserKeyAsync("ada@example.com", TeamUser.Member);

        using var created = await world.SendAsync(HttpMethod.Post, "/api/team/groups", OperatorKey, """{"name":"platform"}""");
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        using var duplicate = await world.SendAsync(HttpMethod.Post, "/api/team/groups", OperatorKey, """{"name":"platform"}""");
        (await duplicate.ShouldBeAnthropicErrorAsync(HttpStatusCode.Conflict, "invalid_request_error")).ShouldContain("already exists");
        using var unknownGroup = await world.SendAsync(HttpMethod.Post, "/api/team/groups/nope/members", OperatorKey, """{"user":"ada@example.com"}""");
        (await unknownGroup.ShouldBeAnthropicErrorAsync(HttpStatusCode.NotFound, "not_found_error")).ShouldContain("There is no group nope");
        using var unknownUser = await world.SendAsync(HttpMethod.Post, "/api/team/groups/platform/members", OperatorKey, """{"user":"bob@example.com"}""");
        (await unknownUser.ShouldBeAnthropicErrorAsync(HttpStatusCode.NotFound, "not_found_error")).ShouldContain("There is no user bob@example.com");

        using var added = await world.SendAsync(HttpMethod.Post, "/api/team/groups/platform/members", OperatorKey, """{"user":"ada@example.com"}""");
        var group = (await added.Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminGroupChange, Cancel))!;
        group.Group.Members.Select(m => m.Email).ShouldBe(["ada@example.com"]);
        group.ReplicasTold.ShouldBe(true);
        var users = (await (await world.SendAsync(HttpMethod.Get, "/api/team/users", OperatorKey)).Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminUserList, Cancel))!;
        users.Users.Single().Groups.ShouldBe(["platform"]);

        using var removed = await world.SendAsync(HttpMethod.Delete, "/api/team/groups/platform/members/ada@example.com", OperatorKey);
        (await removed.Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminGroupChange, Cancel))!.Group.Members.ShouldBeEmpty();
        (await world.SendAsync(HttpMethod.Delete, "/api/team/groups/platform", OperatorKey)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var groups = (await (await world.SendAsync(HttpMethod.Get, "/api/team/groups", OperatorKey)).Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminGroupList, Cancel))!;
        groups.Groups.ShouldBeEmpty();
        using var gone = await world.SendAsync(HttpMethod.Delete, "/api/team/groups/platform", OperatorKey);
        await gone.ShouldBeAnthropicErrorAsync(HttpStatusCode.NotFound, "not_found_error");

        (await AuditAsync(world.Database, TeamAudit.AdminChange)).Where(row => row.StartsWith("operator ", StringComparison.Ordinal)).Select(Change)
            .ShouldBe(["group_created", "member_added", "member_removed", "group_deleted"]);
    }

    [Fact]
    public async Task Keys_CreateShowsTheValueOnce_ListShowsPrefixes_RevokeAndRotateStopTheOldKeyAtOnce()
    {
        await using var world = await World.StartAsync(postgres, redis, answering: true);
        await world.UserKeyAsync("ada@example.com", TeamUser.Member);

        using var createdReply = await world.SendAsync(HttpMethod.Post, "/api/team/users/ada@example.com/keys", OperatorKey, """{"name":"laptop"}""");
        createdReply.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = (await createdReply.Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminCreatedKey, Cancel))!;
        created.Notice.ShouldContain("shown once");
        (await world.MessageAsync(created.Key)).ShouldBe(HttpStatusCode.OK);

        var listJson = await (await world.SendAsync(HttpMethod.Get, "/api/team/users/ada@example.com/keys", OperatorKey)).Content.ReadAsStringAsync(Cancel);
        listJson.ShouldNotContain(created.Key);
        listJson.ShouldContain($"\"prefix\":\"{created.Info.Prefix}\"");

        using var rotatedReply = await world.SendAsync(HttpMethod.Post, $"/api/team/keys/sb-{created.Info.Prefix}/rotate", OperatorKey);
        var rotated = (await rotatedReply.Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminCreatedKey, Cancel))!;
        rotated.ReplacedKey.ShouldBe(created.Info.Id);
        rotated.ReplicasTold.ShouldBe(true);
        (await world.MessageAsync(created.Key)).ShouldBe(HttpStatusCode.Unauthorized);
        (await world.MessageAsync(rotated.Key)).ShouldBe(HttpStatusCode.OK);

        using var rotateRevoked = await world.SendAsync(HttpMethod.Post, $"/api/team/keys/{created.Info.Id}/rotate", OperatorKey);
        (await rotateRevoked.ShouldBeAnthropicErrorAsync(HttpStatusCode.Conflict, "invalid_request_error")).ShouldContain("cannot be rotated");
        using var revokedReply = await world.SendAsync(HttpMethod.Post, $"/api/team/keys/{rotated.Info.Id}/revoke", OperatorKey);
        var revoked = (await revokedReply.Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminKeyChange, Cancel))!;
        revoked.Key.Revoked.ShouldBeTrue();
        revoked.ReplicasTold.ShouldBeTrue();
        (await world.MessageAsync(rotated.Key)).ShouldBe(HttpStatusCode.Unauthorized);
        using var unknown = await world.SendAsync(HttpMethod.Post, "/api/team/keys/sb-zzzzzzzz/revoke", OperatorKey);
        (await unknown.ShouldBeAnthropicErrorAsync(HttpStatusCode.NotFound, "not_found_error")).ShouldContain("There is no key sb-zzzzzzzz");
        using var past = await world.SendAsync(HttpMethod.Post, "/api/team/users/ada@example.com/keys", OperatorKey, """{"expiresAt":"2001-01-01T00:00:00Z"}""");
        (await past.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("in the past");

        world.Replica.Logs.Lines.ShouldNotContain(line => line.Contains(created.Key, StringComparison.Ordinal) || line.Contains(rotated.Key, StringComparison.Ordinal));
        (await AuditAsync(world.Database, TeamAudit.AdminChange)).Where(row => row.StartsWith("operator ", StringComparison.Ordinal)).Select(Change)
            .ShouldBe(["key_created", "key_rotated", "key_revoked"]);
    }

    private static string Change(string auditRow) =>
        System.Text.RegularExpressions.Regex.Match(auditRow, "\"change\": \"([a-z_]+)\"").Groups[1].Value;

    /// <summary>One replica on a fresh database, with the operator key set and an upstream that answers every message.</summary>
    internal sealed class World : IAsyncDisposable
    {
        private ScriptedUpstream _upstream = null!;
        private string _config = "";
        public NpgsqlDataSource Database { get; private set; } = null!;
        public RunningSwitchboard Replica { get; private set; } = null!;

        public static async Task<World> StartAsync(PostgresServer postgres, RedisServer redis, bool answering = false)
        {
            var world = new World();
            world._upstream = await ScriptedUpstream.StartAsync((context, _) => WriteJsonAsync(context, TextMessage("claude-sonnet-4-5", "hello")));
            var connection = await postgres.CreateDatabaseAsync();
            world.Database = TeamDatabase.Create(connection);
            await TeamSchema.MigrateAsync(world.Database, Cancel);
            world._config = Config(world._upstream.BaseUrl, connection, redis.Url);
            world.Replica = await RunningSwitchboard.StartAsync(world._config);
            return world;
        }

        /// <summary>Another replica of the same gateway (same database, Redis and upstream); the caller disposes it.</summary>
        public Task<RunningSwitchboard> AnotherReplicaAsync() => RunningSwitchboard.StartAsync(_config);

        public async Task<string> UserKeyAsync(string email, string role)
        {
            var user = await new TeamUsers(Database).CreateAsync(email, "", role, "config", Cancel);
            return (await new TeamApiKeys(Database).CreateAsync(user.Id, "test", [], null, "config", Cancel)).Key;
        }

        public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, string? body = null) =>
            Send(Replica.Client, method, path, key, body);

        public async Task<AdminUserChange> ChangeAsync(string path, string key, string body = "{}")
        {
            using var response = await SendAsync(HttpMethod.Post, path, key, body);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
            return (await response.Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminUserChange, Cancel))!;
        }

        public Task<HttpStatusCode> MessageAsync(string key) => MessageAsync(Replica.Client, key);

        public static async Task<HttpStatusCode> MessageAsync(HttpClient client, string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: false)) };
            request.Headers.Add("x-api-key", key);
            using var response = await client.SendAsync(request, Cancel);
            return response.StatusCode;
        }

        public async ValueTask DisposeAsync()
        {
            await Replica.DisposeAsync();
            await Database.DisposeAsync();
            await _upstream.DisposeAsync();
        }
    }

    internal static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string? key, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null || method == HttpMethod.Post) request.Content = new StringContent(body ?? "{}", Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Authorization = new("Bearer", key);
        return client.SendAsync(request, Cancel);
    }

    internal static string Config(string upstream, string postgresConnection, string redisUrl) => $$"""
        {
          "apiKey": "{{OperatorKey}}",
          "defaultProvider": "anthropic",
          "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream}}", "apiKey": "gateway-own-key" } },
          "team": {
            "postgres": "{{postgresConnection}}",
            "redis": "{{redisUrl}}",
            "publicUrl": "https://switchboard.example.com",
            "keyCacheSeconds": 3600
          }
        }
        """;
}
