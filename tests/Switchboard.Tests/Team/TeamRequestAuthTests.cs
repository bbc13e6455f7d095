using System.Net;
using Npgsql;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 3 on the request path: in team mode every Messages request needs a user's Switchboard key, the
/// key never travels on, and a revocation made through one replica stops the key on another at once (Redis
/// pub/sub), long before the cache lifetime (an hour here) would. Real servers, PostgreSQL, Redis and upstream.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamRequestAuthTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private const string GatewayKey = "gateway-own-anthropic-key";
    private const string OperatorKey = "operator-key-for-admins";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Messages_WithAUsersKey_ReachTheProviderWithTheGatewaysCredentials_NeverTheKey()
    {
        await using var upstream = await AnsweringUpstreamAsync();
        var (database, connection) = await DatabaseAsync();
        await using var _ = database;
        var key = await KeyAsync(database);
        await using var replica = await RunningSwitchboard.StartAsync(Config(upstream.BaseUrl, connection, redis.Url));

        using (var viaApiKey = Post(key, bearer: false))
            (await replica.Client.SendAsync(viaApiKey, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var viaBearer = Post(key, bearer: true))
            (await replica.Client.SendAsync(viaBearer, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);

        upstream.Requests.Count.ShouldBe(2);
        foreach (var sent in upstream.Requests)
        {
            sent.Header("x-api-key").ShouldBe(GatewayKey, "the provider gets the gateway's own key");
            sent.Header("authorization").ShouldBeNull("the caller's bearer (their team key) is not forwarded");
            sent.Headers.Values.SelectMany(values => values).ShouldNotContain(value => value != null && value.Contains(key, StringComparison.Ordinal));
        }
        replica.Logs.Lines.ShouldNotContain(line => line.Contains(key, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "This gateway needs a Switchboard key")]
    [InlineData("not-a-switchboard-key", "is not a Switchboard key")]
    [InlineData("sb-abcdefgh-wrongsecretwrongsecretwrongsecret", "is not known here")]
    public async Task Messages_WithoutAValidKey_Are401_NotRetried_AndNeverReachTheProvider(string? presented, string says)
    {
        await using var upstream = await AnsweringUpstreamAsync();
        var (database, connection) = await DatabaseAsync();
        await using var _ = database;
        await using var replica = await RunningSwitchboard.StartAsync(Config(upstream.BaseUrl, connection, redis.Url));

        using var request = Post(presented, bearer: false);
        using var response = await replica.Client.SendAsync(request, Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error")).ShouldContain(says);
        response.Headers.GetValues("x-should-retry").ShouldBe(["false"]);
        upstream.Requests.ShouldBeEmpty();
        (await replica.Client.GetAsync("/health", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK, "public endpoints need no key");
    }

    [Fact]
    public async Task KeyRevokedThroughOneReplica_IsRefusedByAnother_AtOnce_ThoughItCachedTheKeyForAnHour()
    {
        await using var upstream = await AnsweringUpstreamAsync();
        var (database, connection) = await DatabaseAsync();
        await using var _ = database;
        var created = await CreatedKeyAsync(database);
        var key = created.Key;
        var config = Config(upstream.BaseUrl, connection, redis.Url, keyCacheSeconds: 3600);
        await using var first = await RunningSwitchboard.StartAsync(config);
        await using var second = await RunningSwitchboard.StartAsync(config);
        (await SendAsync(second, key)).ShouldBe(HttpStatusCode.OK, "the second replica now holds the key in its cache");

        await new TeamApiKeys(database).RevokeAsync(created.Info.Id, "test", Cancel);
        var reached = await first.Server.Team!.Invalidation.PublishAsync(created.Info.Id);

        reached.ShouldBeTrue("Redis carried the change");
        await Eventually.WaitAsync(() => SendAsync(second, key), status => status == HttpStatusCode.Unauthorized,
            status => $"the second replica to refuse the revoked key (got {status})", TimeSpan.FromSeconds(10));
        (await SendAsync(first, key)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RedisComingBack_DropsEveryCachedKey_SinceChangesMadeMeanwhileWereNotHeard()
    {
        await using var ownRedis = new RedisServer();
        await ownRedis.InitializeAsync();
        await using var upstream = await AnsweringUpstreamAsync();
        var (database, connection) = await DatabaseAsync();
        await using var _ = database;
        var key = await KeyAsync(database);
        await using var replica = await RunningSwitchboard.StartAsync(Config(upstream.BaseUrl, connection, ownRedis.Url, keyCacheSeconds: 3600));
        (await SendAsync(replica, key)).ShouldBe(HttpStatusCode.OK);

        await ownRedis.StopAsync();
        // Revoked behind the gateway's back, as another replica would while Redis is down: no message can arrive.
        await ExecuteAsync(database, "UPDATE api_keys SET revoked_at = now()");
        (await SendAsync(replica, key)).ShouldBe(HttpStatusCode.OK, "the hour-long cache still answers while Redis is down");
        await ownRedis.StartAsync();

        await Eventually.WaitAsync(() => SendAsync(replica, key), status => status == HttpStatusCode.Unauthorized,
            status => $"the replica to drop its cache once Redis is back (got {status})", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task OperatorKey_SeesHealthDetails_ButSendsNoMessages_AndAUsersKeyDoesNotSeeThem()
    {
        await using var upstream = await AnsweringUpstreamAsync();
        var (database, connection) = await DatabaseAsync();
        await using var _ = database;
        var key = await KeyAsync(database);
        await using var replica = await RunningSwitchboard.StartAsync(Config(upstream.BaseUrl, connection, redis.Url,
            extraTopLevel: $"\"apiKey\": \"{OperatorKey}\","));

        using var operatorMessage = Post(OperatorKey, bearer: true);
        using var refused = await replica.Client.SendAsync(operatorMessage, Cancel);
        (await refused.ShouldBeAnthropicErrorAsync(HttpStatusCode.Forbidden, "permission_error")).ShouldContain("belongs to no user");
        upstream.Requests.ShouldBeEmpty();

        (await HealthAsync(replica, OperatorKey)).ShouldContain("\"providers\"");
        (await HealthAsync(replica, key)).ShouldNotContain("\"providers\"", customMessage: "a user's key is not the operator's");
        (await HealthAsync(replica, null)).ShouldNotContain("\"providers\"");
    }

    [Fact]
    public async Task PostgresDown_AKeyTheReplicaHolds_StillWorks_AndANewOneGetsA503SayingWhy()
    {
        await using var ownPostgres = new PostgresServer();
        await ownPostgres.InitializeAsync();
        await using var upstream = await AnsweringUpstreamAsync();
        var connection = await ownPostgres.CreateDatabaseAsync();
        await using var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, Cancel);
        var held = await KeyAsync(database);
        var ada = (await new TeamUsers(database).FindByEmailAsync("ada@example.com", Cancel))!;
        var unseen = (await new TeamApiKeys(database).CreateAsync(ada.Id, "second", [], null, "config", Cancel)).Key;
        await using var replica = await RunningSwitchboard.StartAsync(Config(upstream.BaseUrl, connection + ";Timeout=2", redis.Url, keyCacheSeconds: 3600));
        (await SendAsync(replica, held)).ShouldBe(HttpStatusCode.OK);

        await ownPostgres.StopAsync();

        (await SendAsync(replica, held)).ShouldBe(HttpStatusCode.OK, "a key the replica holds keeps working");
        using var request = Post(unseen, bearer: false);
        using var response = await replica.Client.SendAsync(request, Cancel);
        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.ServiceUnavailable, "api_error")).ShouldContain("team database (PostgreSQL) does not answer");
    }

    [Fact]
    public void Config_TeamModeOnAllInterfaces_WithoutApiKey_IsAllowed_SinceEveryRequestNeedsAUsersKey()
    {
        var withTeam = Switchboard.Config.ConfigValidator.ExposedWithoutKey(
            new Switchboard.Config.SwitchboardConfig { Host = "0.0.0.0", Team = new Switchboard.Config.TeamConfig() }, null);
        var without = Switchboard.Config.ConfigValidator.ExposedWithoutKey(new Switchboard.Config.SwitchboardConfig { Host = "0.0.0.0" }, null);

        withTeam.ShouldBeFalse();
        without.ShouldBeTrue();
    }

    private static async Task<string> HealthAsync(RunningSwitchboard replica, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        if (key is not null) request.Headers.Add("x-api-key", key);
        using var response = await replica.Client.SendAsync(request, Cancel);
        return await response.Content.ReadAsStringAsync(Cancel);
    }

    private static async Task<HttpStatusCode> SendAsync(RunningSwitchboard replica, string key)
    {
        using var request = Post(key, bearer: false);
        using var response = await replica.Client.SendAsync(request, Cancel);
        return response.StatusCode;
    }

    private static HttpRequestMessage Post(string? key, bool bearer)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(stream: false)) };
        if (key is null) return request;
        if (bearer) request.Headers.Authorization = new("Bearer", key);
        else request.Headers.Add("x-api-key", key);
        return request;
    }

    private static Task<ScriptedUpstream> AnsweringUpstreamAsync() =>
        ScriptedUpstream.StartAsync((context, _) => WriteJsonAsync(context, TextMessage("claude-sonnet-4-5", "hello")));

    private async Task<(NpgsqlDataSource Database, string Connection)> DatabaseAsync()
    {
        var connection = await postgres.CreateDatabaseAsync();
        var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, Cancel);
        return (database, connection);
    }

    private static async Task<string> KeyAsync(NpgsqlDataSource database) => (await CreatedKeyAsync(database)).Key;

    private static async Task<CreatedApiKey> CreatedKeyAsync(NpgsqlDataSource database)
    {
        var ada = await MemberAsync(database);
        return await new TeamApiKeys(database).CreateAsync(ada.Id, "laptop", [], null, "config", Cancel);
    }

    private static string Config(string upstream, string postgresConnection, string redisUrl, int keyCacheSeconds = 30, string extraTopLevel = "") => $$"""
        {
          {{extraTopLevel}}
          "defaultProvider": "anthropic",
          "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream}}", "apiKey": "{{GatewayKey}}" } },
          "team": {
            "postgres": "{{postgresConnection}}",
            "redis": "{{redisUrl}}",
            "publicUrl": "https://switchboard.example.com",
            "keyCacheSeconds": {{keyCacheSeconds}}
          }
        }
        """;
}
