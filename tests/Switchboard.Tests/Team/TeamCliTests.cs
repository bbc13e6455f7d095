using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using Switchboard.Hosting.Team.Admin;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Team.TeamAdminApiTests;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17, item 9: the <c>switchboard team</c> CLI, the real executable, against a real replica on real PostgreSQL
/// and Redis. Bootstrapped with the operator key, then driven with an admin user's key; every change is checked
/// through the admin API (or by the replica refusing a key), not through the CLI's own output.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed class TeamCliTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bootstrap_WithTheOperatorKey_ThenAnAdminKeyManagesUsersAndGroups_VisibleInTheApi()
    {
        await using var world = await World.StartAsync(postgres, redis);
        using var home = new TempHome();
        var cli = new Cli(home, world);

        var root = Json(await cli.OkAsync(OperatorKey, "team", "users", "create", "root@example.com", "--role", "admin", "--json"), TeamAdminJson.Default.AdminUserChange);
        root.User.Role.ShouldBe(TeamUser.Admin);
        var created = await cli.OkAsync(OperatorKey, "team", "keys", "create", "root@example.com", "--name", "laptop");
        var admin = KeyIn(created);
        Occurrences(created, admin).ShouldBe(1, "the new key is printed exactly once");
        created.ShouldContain("shown once");

        await cli.OkAsync(admin, "team", "users", "create", "ada@example.com", "--name", "Ada");
        await cli.OkAsync(admin, "team", "groups", "create", "platform");
        await cli.OkAsync(admin, "team", "groups", "add-member", "platform", "ada@example.com");
        var users = Json(await cli.OkAsync(admin, "team", "users", "list", "--json"), TeamAdminJson.Default.AdminUserList);
        users.Users.Single(user => user.Email == "ada@example.com").Groups.ShouldBe(["platform"]);
        var table = await cli.OkAsync(admin, "team", "users", "list");
        table.ShouldContain("ada@example.com");
        table.ShouldContain("platform");

        await cli.OkAsync(admin, "team", "users", "role", "ada@example.com", "admin");
        (await ApiUserAsync(world, "ada@example.com")).Role.ShouldBe(TeamUser.Admin);
        (await cli.OkAsync(admin, "team", "users", "disable", "ada@example.com")).ShouldContain("disabled");
        (await ApiUserAsync(world, "ada@example.com")).Disabled.ShouldBeTrue();
        await cli.OkAsync(admin, "team", "users", "enable", "ada@example.com");
        (await ApiUserAsync(world, "ada@example.com")).Disabled.ShouldBeFalse();
        (await cli.OkAsync(admin, "team", "users", "show", "ada@example.com")).ShouldContain("Ada");

        await cli.OkAsync(admin, "team", "groups", "remove-member", "platform", "ada@example.com");
        (await ApiUserAsync(world, "ada@example.com")).Groups.ShouldBeEmpty();
        await cli.OkAsync(admin, "team", "groups", "delete", "platform");
        var groups = await (await world.SendAsync(HttpMethod.Get, "/api/team/groups", OperatorKey)).Content.ReadFromJsonAsync(TeamAdminJson.Default.AdminGroupList, Cancel);
        groups!.Groups.ShouldBeEmpty();
        (await TeamPostgres.AuditAsync(world.Database, TeamAudit.AdminChange)).Count(row => row.StartsWith(root.User.Id + " ", StringComparison.Ordinal))
            .ShouldBe(8, "each change the admin made through the CLI is audited with the admin as actor");
    }

    [Fact]
    public async Task Keys_CreateListRotateRevoke_TheReplicaRefusesARevokedKey_AndNoValueIsShownTwice()
    {
        await using var world = await World.StartAsync(postgres, redis, answering: true);
        using var home = new TempHome();
        var cli = new Cli(home, world);
        var admin = await world.UserKeyAsync("root@example.com", TeamUser.Admin);
        await world.UserKeyAsync("ada@example.com", TeamUser.Member);

        var created = Json(await cli.OkAsync(admin, "team", "keys", "create", "ada@example.com", "--name", "laptop", "--json"), TeamAdminJson.Default.AdminCreatedKey);
        (await world.MessageAsync(created.Key)).ShouldBe(HttpStatusCode.OK);
        var listed = await cli.OkAsync(admin, "team", "keys", "list", "ada@example.com");
        listed.ShouldContain(created.Info.Shown);
        listed.ShouldContain("laptop");
        listed.ShouldNotContain(created.Key);

        var rotatedOutput = await cli.OkAsync(admin, "team", "keys", "rotate", $"sb-{created.Info.Prefix}");
        var rotated = KeyIn(rotatedOutput);
        Occurrences(rotatedOutput, rotated).ShouldBe(1);
        rotatedOutput.ShouldContain("shown once");
        (await world.MessageAsync(created.Key)).ShouldBe(HttpStatusCode.Unauthorized);
        (await world.MessageAsync(rotated)).ShouldBe(HttpStatusCode.OK);

        var rotatedId = Json(await cli.OkAsync(admin, "team", "keys", "list", "ada@example.com", "--json"), TeamAdminJson.Default.AdminKeyList)
            .Keys.Single(key => key.Name == "laptop" && !key.Revoked).Id;
        (await cli.OkAsync(admin, "team", "keys", "revoke", rotatedId.ToString())).ShouldContain("revoked");
        (await world.MessageAsync(rotated)).ShouldBe(HttpStatusCode.Unauthorized, "a key revoked through the CLI is refused by the replica");
        world.Replica.Logs.Lines.ShouldNotContain(line => line.Contains(rotated, StringComparison.Ordinal) || line.Contains(admin, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LimitsAndPolicy_SetListShowDelete_RoundTripThroughTheApi()
    {
        await using var world = await World.StartAsync(postgres, redis);
        using var home = new TempHome();
        var cli = new Cli(home, world);
        var admin = await world.UserKeyAsync("root@example.com", TeamUser.Admin);
        var adaKey = await world.UserKeyAsync("ada@example.com", TeamUser.Member);
        await cli.OkAsync(admin, "team", "groups", "create", "platform");

        var set = Json(await cli.OkAsync(admin, "team", "limits", "set", "user", "ada@example.com", "spend_usd", "5.5", "--period", "day", "--json"),
            TeamAdminJson.Default.AdminLimitChange);
        var limits = await ApiAsync(world, "/api/team/limits", TeamAdminJson.Default.AdminLimitList);
        limits.Limits.ShouldHaveSingleItem().ShouldBe(set.Limit);
        limits.Limits[0].Amount.ShouldBe(5.5m);
        limits.Limits[0].Period.ShouldBe("day");
        var listed = await cli.OkAsync(admin, "team", "limits", "list");
        listed.ShouldContain("$5.50");
        listed.ShouldContain("ada@example.com", customMessage: "the table names whose limit it is");
        var visible = adaKey[..(ApiKeySecret.Scheme.Length + ApiKeySecret.PrefixLength)];
        await cli.OkAsync(admin, "team", "limits", "set", "key", visible, "requests_per_minute", "30");
        (await cli.OkAsync(admin, "team", "limits", "list")).ShouldContain($"ada@example.com {visible}-…", customMessage: "a key's limit names the key's owner and prefix");
        await cli.OkAsync(admin, "team", "limits", "delete", set.Limit!.Id.ToString());
        (await ApiAsync(world, "/api/team/limits", TeamAdminJson.Default.AdminLimitList)).Limits.ShouldHaveSingleItem().Subject.ShouldBe("key");

        await cli.OkAsync(admin, "team", "policy", "set", "platform", "--models", "claude-*,qwen3:*", "--default-model", "anthropic:claude-sonnet-4-5");
        var policy = await ApiAsync(world, "/api/team/groups/platform/policy", TeamAdminJson.Default.AdminGroupPolicy);
        policy.AllowedModels.ShouldBe(["claude-*", "qwen3:*"]);
        policy.DefaultModel.ShouldBe("anthropic:claude-sonnet-4-5");
        var shown = await cli.OkAsync(admin, "team", "policy", "show", "platform");
        shown.ShouldContain("claude-*, qwen3:*");
        shown.ShouldContain("anthropic:claude-sonnet-4-5");
        var file = Path.Combine(home.Folder, "policy.json");
        await File.WriteAllTextAsync(file, """{"allowedProviders":["anthropic"]}""", Cancel);
        await cli.OkAsync(admin, "team", "policy", "set", "platform", "--file", file);
        policy = await ApiAsync(world, "/api/team/groups/platform/policy", TeamAdminJson.Default.AdminGroupPolicy);
        policy.AllowedProviders.ShouldBe(["anthropic"]);
        policy.AllowedModels.ShouldBeEmpty("set replaces the whole policy");
    }

    [Fact]
    public async Task Errors_ExitNonZero_WithTheServersMessage_AndNeverTheKey()
    {
        await using var world = await World.StartAsync(postgres, redis);
        using var home = new TempHome();
        var cli = new Cli(home, world);
        var admin = await world.UserKeyAsync("root@example.com", TeamUser.Admin);
        var member = await world.UserKeyAsync("ada@example.com", TeamUser.Member);

        var unknown = await cli.RunAsync(admin, "team", "users", "show", "nobody@example.com");
        unknown.ExitCode.ShouldBe(1, unknown.ToString());
        unknown.Stderr.ShouldContain("There is no user nobody@example.com");
        var conflict = await cli.RunAsync(admin, "team", "users", "create", "ada@example.com");
        conflict.ExitCode.ShouldBe(1, conflict.ToString());
        conflict.Stderr.ShouldContain("already exists");
        var refused = await cli.RunAsync(member, "team", "users", "list");
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Stderr.ShouldContain("needs an admin key");
        var noKey = await cli.RunAsync("", "team", "users", "list");
        noKey.ExitCode.ShouldBe(1, noKey.ToString());
        noKey.Stderr.ShouldContain("set SWITCHBOARD_ADMIN_KEY");
        var closed = $"http://127.0.0.1:{TestPorts.Free()}";
        var unreachable = await new CliRunner(home).RunAsync(["team", "users", "list", "--url", closed], environment: Environment(admin));
        unreachable.ExitCode.ShouldBe(1, unreachable.ToString());
        unreachable.Stderr.ShouldContain($"The gateway at {closed} did not answer");
        unreachable.Stderr.ShouldContain("--url");
        var notUrl = await new CliRunner(home).RunAsync(["team", "users", "list", "--url", "gateway:8080"], environment: Environment(admin));
        notUrl.ExitCode.ShouldBe(1, notUrl.ToString());
        notUrl.Stderr.ShouldContain("not an http(s) address");

        foreach (var result in new[] { unknown, conflict, refused, unreachable, notUrl })
        {
            (result.Stdout + result.Stderr).ShouldNotContain(admin);
            (result.Stdout + result.Stderr).ShouldNotContain(member);
        }
    }

    [Fact]
    public async Task WithoutUrl_TheGatewayIsTheDaemonRunningHere_AndWithNoneTheMessageSaysPassUrl()
    {
        await using var world = await World.StartAsync(postgres, redis);
        using var home = new TempHome();
        var admin = await world.UserKeyAsync("root@example.com", TeamUser.Admin);
        var nowhere = await new CliRunner(home).RunAsync(["team", "users", "list"], environment: Environment(admin));
        nowhere.ExitCode.ShouldBe(1, nowhere.ToString());
        nowhere.Stderr.ShouldContain("pass --url");

        // The replica runs in this test's process, so a pid file naming this process and its address is a live daemon.
        await Switchboard.Hosting.DaemonPidFile.WriteAsync(home.Home, world.Replica.Address, Cancel);
        var listed = await new CliRunner(home).RunAsync(["team", "users", "list", "--json"], environment: Environment(admin));
        listed.ExitCode.ShouldBe(0, listed.ToString());
        Json(listed.Stdout, TeamAdminJson.Default.AdminUserList).Users.Select(user => user.Email).ShouldBe(["root@example.com"]);
    }

    [Fact]
    public async Task TeamUsageAndUsage_ByUser_CountExactlyTheRequestsSentThroughTheReplica()
    {
        await using var world = await World.StartAsync(postgres, redis, answering: true);
        using var home = new TempHome();
        var cli = new Cli(home, world);
        var ada = await world.UserKeyAsync("ada@example.com", TeamUser.Member);
        var bob = await world.UserKeyAsync("bob@example.com", TeamUser.Member);
        for (var i = 0; i < 3; i++) (await world.MessageAsync(ada)).ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 2; i++) (await world.MessageAsync(bob)).ShouldBe(HttpStatusCode.OK);
        await Eventually.WaitAsync(() => TeamPostgres.ScalarAsync<long>(world.Database, "SELECT count(*) FROM requests"), count => count == 5,
            count => $"the five requests in the team ledger (now {count})", TimeSpan.FromSeconds(30));

        var teamWide = Reports(await cli.OkAsync(OperatorKey, "team", "usage", "--by", "user", "--period", "today", "--json")).ShouldHaveSingleItem();
        ByKey(teamWide).ShouldBe(new Dictionary<string, long> { ["ada@example.com"] = 3, ["bob@example.com"] = 2 });
        teamWide.Total.Requests.ShouldBe(5);
        teamWide.Total.InputTokens.ShouldBe(50);
        var table = await cli.OkAsync(OperatorKey, "team", "usage", "--by", "user", "--period", "today");
        table.ShouldContain("Today by user");
        table.ShouldContain("ada@example.com");
        var byProvider = Reports(await cli.OkAsync(OperatorKey, "team", "usage", "--by", "provider", "--period", "today", "--json")).Single();
        ByKey(byProvider).ShouldBe(new Dictionary<string, long> { ["anthropic"] = 5 });
        var refused = await cli.RunAsync(ada, "team", "usage");
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Stderr.ShouldContain("administrators");

        // On a replica's host, with its config: straight from PostgreSQL, no admin key needed.
        var replicaHost = new CliRunner(world.Replica.Home);
        var local = await replicaHost.RunAsync("usage", "--by", "user", "--period", "today", "--json");
        local.ExitCode.ShouldBe(0, local.ToString());
        ByKey(Reports(local.Stdout).Single()).ShouldBe(new Dictionary<string, long> { ["ada@example.com"] = 3, ["bob@example.com"] = 2 });
        var byKey = await replicaHost.RunAsync("usage", "--by", "key", "--period", "today");
        byKey.ExitCode.ShouldBe(0, byKey.ToString());
        byKey.Stdout.ShouldContain("Team mode");
        byKey.Stdout.ShouldContain("sb-");

        var noTeam = await new CliRunner(home).RunAsync("usage", "--by", "user");
        noTeam.ExitCode.ShouldBe(2, noTeam.ToString());
        noTeam.Stderr.ShouldContain("--by user needs team mode");
    }

    private static Dictionary<string, long> ByKey(Switchboard.Cli.Commands.UsageReport report) =>
        report.Groups.ToDictionary(group => group.Key, group => group.Requests);

    private static List<Switchboard.Cli.Commands.UsageReport> Reports(string json) =>
        JsonSerializer.Deserialize(json, Switchboard.Cli.Commands.UsageCliJson.Default.ListUsageReport)!;

    private static T Json<T>(string text, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => JsonSerializer.Deserialize(text, type)!;

    private static async Task<T> ApiAsync<T>(World world, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var response = await world.SendAsync(HttpMethod.Get, path, OperatorKey);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync(type, Cancel))!;
    }

    private static async Task<AdminUser> ApiUserAsync(World world, string email) =>
        (await ApiAsync(world, $"/api/team/users/{email}", TeamAdminJson.Default.AdminUserChange)).User;

    /// <summary>The key a create or rotate printed: the line after "key:".</summary>
    private static string KeyIn(string output)
    {
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        var key = lines[Array.IndexOf(lines, "key:") + 1].Trim();
        key.ShouldStartWith("sb-");
        return key;
    }

    private static int Occurrences(string text, string value) => text.Split(value).Length - 1;

    private static Dictionary<string, string> Environment(string key) => new() { ["SWITCHBOARD_ADMIN_KEY"] = key };

    /// <summary>The CLI pointed at the world's replica with <c>--url</c>, the key in SWITCHBOARD_ADMIN_KEY of the child only.</summary>
    [Fact]
    public async Task SignInAndSettings_PasswordFromStdin_AnInviteLink_AndAGroupsManagedSettings()
    {
        await using var world = await World.StartAsync(postgres, redis);
        using var home = new TempHome();
        var cli = new Cli(home, world);
        var admin = await world.UserKeyAsync("root@example.com", TeamUser.Admin);
        await world.UserKeyAsync("ada@example.com", TeamUser.Member);
        await cli.OkAsync(admin, "team", "groups", "create", "platform");
        var settings = Path.Combine(home.Folder, "managed-settings.json");
        await File.WriteAllTextAsync(settings, """{"env":{"CLAUDE_CODE_GATEWAY_HINT_HEADERS":"1"}}""", Cancel);

        (await cli.OkWithInputAsync(admin, "a long enough password\n", "team", "users", "password", "ada@example.com")).ShouldContain("Password set");
        var invite = await cli.OkAsync(admin, "team", "users", "invite", "ada@example.com");
        var set = await cli.OkAsync(admin, "team", "settings", "set", "platform", settings);
        var shown = await cli.OkAsync(admin, "team", "settings", "show", "platform");
        await cli.OkAsync(admin, "team", "settings", "clear", "platform");

        var hash = await TeamPostgres.ScalarAsync<string>(world.Database, "SELECT password_hash FROM users WHERE email = 'ada@example.com'");
        PasswordHash.Verify("a long enough password", hash).ShouldBeTrue("the password read from standard input is the one stored");
        invite.ShouldContain("https://switchboard.example.com/invite?token=sbi-");
        set.ShouldContain("sha256:");
        shown.ShouldContain("CLAUDE_CODE_GATEWAY_HINT_HEADERS");
        (await TeamPostgres.ScalarAsync<long>(world.Database, "SELECT count(*) FROM groups WHERE managed_settings IS NOT NULL")).ShouldBe(0L, "cleared");
    }

    private sealed class Cli(TempHome home, World world)
    {
        private readonly CliRunner _runner = new(home);

        public Task<ChildProcess.Result> RunAsync(string key, params string[] args) =>
            _runner.RunAsync([.. args, "--url", world.Replica.Address.ToString()], environment: Environment(key));

        public async Task<string> OkWithInputAsync(string key, string stdin, params string[] args)
        {
            var result = await _runner.RunAsync([.. args, "--url", world.Replica.Address.ToString()], stdin: stdin, environment: Environment(key));
            result.ExitCode.ShouldBe(0, result.ToString());
            return result.Stdout;
        }

        public async Task<string> OkAsync(string key, params string[] args)
        {
            var result = await RunAsync(key, args);
            result.ExitCode.ShouldBe(0, result.ToString());
            return result.Stdout;
        }
    }
}
