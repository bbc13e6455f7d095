using System.Net;
using Npgsql;
using Shouldly;
using Switchboard.Config;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 4: what a group may use (provider and model globs, the union over a user's groups) and where its
/// members' requests go (its default model, routes and rules), enforced on the target routing chose, fallbacks
/// included. Real servers, PostgreSQL, Redis and two scripted upstreams (a "cloud" and a "local" provider).
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class GroupPolicyTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AllowedTarget_IsForwarded_DeniedTarget_Is400SayingWhatTheGroupMayUse_AndNeverReachesTheProvider()
    {
        await using var world = await WorldAsync();
        var key = await world.MemberKeyAsync("ada@example.com", ("local-only", new GroupPolicy { AllowedProviders = ["local"], AllowedModels = ["qwen3*"] }));

        (await world.SendAsync(key, "local:qwen3-coder")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var denied = await world.SendAsync(key, "cloud:claude-sonnet-4-5");

        (await denied.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldBe(
            "'cloud:claude-sonnet-4-5' is not allowed for your groups. Group local-only may use providers local and models qwen3*; " +
            "ask a gateway admin to change the group's policy, or choose an allowed model.");
        world.Cloud.Requests.ShouldBeEmpty();
        world.Local.Requests.Count.ShouldBe(1);
        (await world.SendAsync(key, "local:llama3")).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "the model glob holds too");
        await world.Replica.Server.Team!.Authenticator.FlushActivityAsync(Cancel);
        var block = (await TeamPostgres.AuditAsync(world.Database, TeamAudit.Block)).ShouldHaveSingleItem();
        block.ShouldEndWith("{\"count\": \"2\", \"reason\": \"model_denied\"}", Case.Sensitive, "both refusals, in one audit row");
    }

    [Fact]
    public async Task TwoGroups_AllowTheUnionOfWhatEachAllows()
    {
        await using var world = await WorldAsync();
        var key = await world.MemberKeyAsync("ada@example.com",
            ("local-qwen", new GroupPolicy { AllowedProviders = ["local"], AllowedModels = ["qwen*"] }),
            ("cloud-haiku", new GroupPolicy { AllowedModels = ["cloud:claude-*haiku*"] }));

        (await world.SendAsync(key, "local:qwen3")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.SendAsync(key, "cloud:claude-3-5-haiku")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.SendAsync(key, "cloud:claude-sonnet-4-5")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await world.SendAsync(key, "local:claude-3-5-haiku")).StatusCode.ShouldBe(HttpStatusCode.BadRequest,
            "neither group allows that provider and model together");
    }

    [Fact]
    public async Task FallbackToADeniedTarget_IsSkipped_TheAllowedOneIsUsed()
    {
        // The config's default route tries the cloud first, then the local model.
        await using var world = await WorldAsync(configRoutes: """ "routes": { "default": ["cloud", "local:qwen3"] }, """);
        var key = await world.MemberKeyAsync("ada@example.com", ("local-only", new GroupPolicy { AllowedProviders = ["local"] }));

        using var response = await world.SendAsync(key, "claude-sonnet-4-5");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        world.Cloud.Requests.ShouldBeEmpty("the group may not use the cloud, so that target is not tried");
        world.Local.Requests.Single().BodyText.ShouldContain("\"model\":\"qwen3\"");
    }

    [Fact]
    public async Task AGroupsDefaultModelAndRoutes_ApplyToItsMembers_NotToOthers()
    {
        await using var world = await WorldAsync();
        var member = await world.MemberKeyAsync("ada@example.com", ("local-first", new GroupPolicy
        {
            DefaultModel = "local:qwen3",
            Routes = new RoutesConfig { Background = new TargetList { Targets = ["local:qwen3-small"] } },
        }));
        var outsider = await world.MemberKeyAsync("bob@example.com");

        (await world.SendAsync(member, "claude-sonnet-4-5")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.SendAsync(member, "claude-3-5-haiku-20241022")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await world.SendAsync(outsider, "claude-sonnet-4-5")).StatusCode.ShouldBe(HttpStatusCode.OK);

        world.Local.Requests.Select(request => Model(request.BodyText)).ShouldBe(["qwen3", "qwen3-small"]);
        world.Cloud.Requests.Select(request => Model(request.BodyText)).ShouldBe(["claude-sonnet-4-5"], "a user in no group follows the config");
    }

    [Fact]
    public async Task PolicyChangedThroughTheStore_AndPublished_TakesEffectOnAnotherReplica_AtOnce()
    {
        await using var world = await WorldAsync();
        var (key, group) = await world.MemberKeyWithGroupAsync("ada@example.com", "team", GroupPolicy.Open);
        await using var second = await RunningSwitchboard.StartAsync(world.ConfigText);
        (await world.SendAsync(key, "cloud:claude-sonnet-4-5", second)).StatusCode.ShouldBe(HttpStatusCode.OK, "the second replica now caches the open policy");

        await new TeamGroupPolicies(world.Database).SetAsync(group, new GroupPolicy { AllowedProviders = ["local"] },
            world.Replica.Server.Config.Current.Config, "admin@example.com", Cancel);
        (await world.Replica.Server.Team!.Invalidation.PublishAsync(group)).ShouldBeTrue();

        await Eventually.WaitAsync(async () => (await world.SendAsync(key, "cloud:claude-sonnet-4-5", second)).StatusCode,
            status => status == HttpStatusCode.BadRequest, status => $"the second replica to deny the cloud (got {status})", TimeSpan.FromSeconds(10));
        (await AuditAsync(world.Database, TeamAudit.AdminChange)).ShouldContain(row => row.StartsWith($"admin@example.com {group}") && row.Contains("group_policy_set"));
    }

    [Fact]
    public async Task SetPolicy_WithATargetNoProviderServes_IsRefusedWithThePath_AndNothingChanges()
    {
        await using var world = await WorldAsync();
        var (_, group) = await world.MemberKeyWithGroupAsync("ada@example.com", "team", GroupPolicy.Open);
        var bad = new GroupPolicy { Routes = new RoutesConfig { Default = new TargetList { Targets = ["nowhere:model"] } }, DefaultModel = "elsewhere:x" };

        var refused = await Should.ThrowAsync<TeamStoreException>(() => new TeamGroupPolicies(world.Database).SetAsync(
            group, bad, world.Replica.Server.Config.Current.Config, "admin@example.com", Cancel));

        refused.Message.ShouldContain("$.routes.default: 'nowhere:model' does not start with a configured provider");
        refused.Message.ShouldContain("defaultModel: 'elsewhere:x'");
        var stored = (await new TeamGroupPolicies(world.Database).GetAsync(group, Cancel))!;
        (stored.Routes, stored.DefaultModel, stored.AllowedProviders.Count).ShouldBe((null, null, 0));
    }

    private static string Model(string body) => System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("model").GetString()!;

    private async Task<World> WorldAsync(string configRoutes = "")
    {
        var cloud = await ScriptedUpstream.StartAsync((context, _) => WriteJsonAsync(context, TextMessage("claude-sonnet-4-5", "from the cloud")));
        var local = await ScriptedUpstream.StartAsync((context, _) => WriteJsonAsync(context, TextMessage("qwen3", "from the box")));
        var connection = await postgres.CreateDatabaseAsync();
        var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, Cancel);
        var config = $$"""
            {
              {{configRoutes}}
              "defaultProvider": "cloud",
              "providers": {
                "cloud": { "type": "anthropic", "baseUrl": "{{cloud.BaseUrl}}", "apiKey": "gateway-cloud-key" },
                "local": { "type": "anthropic", "baseUrl": "{{local.BaseUrl}}", "apiKey": "gateway-local-key" }
              },
              "team": { "postgres": "{{connection}}", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com" }
            }
            """;
        return new World(cloud, local, database, config, await RunningSwitchboard.StartAsync(config));
    }

    private sealed record World(ScriptedUpstream Cloud, ScriptedUpstream Local, NpgsqlDataSource Database, string ConfigText, RunningSwitchboard Replica)
        : IAsyncDisposable
    {
        public async Task<string> MemberKeyAsync(string email, params (string Name, GroupPolicy Policy)[] groups)
        {
            var user = await MemberAsync(Database, email, email);
            foreach (var (name, policy) in groups)
            {
                var group = await new TeamGroups(Database).CreateAsync(name, "test", Cancel);
                await new TeamGroupPolicies(Database).SetAsync(group.Id, policy, Replica.Server.Config.Current.Config, "test", Cancel);
                await new TeamGroups(Database).AddMemberAsync(group.Id, user.Id, "test", Cancel);
            }
            return (await new TeamApiKeys(Database).CreateAsync(user.Id, "laptop", [], null, "test", Cancel)).Key;
        }

        public async Task<(string Key, Guid Group)> MemberKeyWithGroupAsync(string email, string groupName, GroupPolicy policy)
        {
            var key = await MemberKeyAsync(email, (groupName, policy));
            return (key, (await new TeamGroups(Database).FindByNameAsync(groupName, Cancel))!.Id);
        }

        public Task<HttpResponseMessage> SendAsync(string key, string model, RunningSwitchboard? replica = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request(model, stream: false)) };
            request.Headers.Add("x-api-key", key);
            return (replica ?? Replica).Client.SendAsync(request, Cancel);
        }

        public async ValueTask DisposeAsync()
        {
            await Replica.DisposeAsync();
            await Database.DisposeAsync();
            await Cloud.DisposeAsync();
            await Local.DisposeAsync();
        }
    }
}
