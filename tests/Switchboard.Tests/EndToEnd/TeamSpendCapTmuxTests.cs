using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using Switchboard.Tests.Team;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 17, item 6 with the real, interactive Claude Code in tmux against a team replica (real PostgreSQL and Redis):
/// a capped user's turn runs, and once the cap is reached Claude Code prints the gateway's 429 <c>billing_error</c>
/// message (when it resets, what to do) instead of retrying into the block.
/// </summary>
public sealed class TeamSpendCapTmuxTests : IDisposable
{
    private readonly ClaudeCodeRunner _claude = new();

    public void Dispose() => _claude.Dispose();

    [Fact]
    public async Task ClaudeCode_OnceTheTeamCapIsReached_PrintsTheGatewaysCapMessage()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        await using var redis = new RedisServer();
        await redis.InitializeAsync();
        var model = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("E2E-TEAM-ANSWER") };
        await using var upstream = await ScriptedUpstream.StartAsync(model.HandleAsync);
        var connection = await postgres.CreateDatabaseAsync();
        await using var database = TeamDatabase.Create(connection);
        await TeamSchema.MigrateAsync(database, cancel);
        var user = await TeamPostgres.MemberAsync(database);
        var key = await new TeamApiKeys(database).CreateAsync(user.Id, "e2e", [], null, "test", cancel);
        var cap = await new TeamLimits(database).SetAsync(TeamLimit.User, user.Id, TeamLimit.SpendUsd, TeamLimit.Month, 10m, cancel);
        await LimitCountersTests.LedgerRowAsync(database, user.Id, DateTimeOffset.UtcNow, 9.60);
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "gateway-key" } },
              "team": { "postgres": "{{connection}}", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com" }
            }
            """);
        _claude.SkipOnboardingAndTrustFolder();

        await using var tmux = await TmuxSession.StartAsync(_claude.WorkingDirectory,
            _claude.DiscoveryEnvironment(switchboard.Address.ToString().TrimEnd('/'), key.Key), [ClaudeCodeRunner.ClaudeExecutable]);
        await tmux.WaitForTextAsync("❯");
        await tmux.TypeAsync("Say hello.");
        await tmux.SendKeysAsync("Enter");
        await tmux.WaitForTextAsync("E2E-TEAM-ANSWER");
        // Claude Code shows its "You've used NN% of your usage credits" notice only when signed in to a gateway (the
        // device flow, not built yet); with a key in ANTHROPIC_AUTH_TOKEN it bills as "API Usage" and shows none. The
        // headers it would read are asserted in TeamLimitsRequestTests.

        // The rest of the budget is spent elsewhere (another replica, as far as this one knows).
        await using (var other = await TeamRedis.ConnectAsync(redis.Url))
            await other.GetDatabase().StringSetAsync(LimitCounters.KeyOf(cap, DateTimeOffset.UtcNow), 10_500_000);
        await tmux.TypeAsync("Say hello again.");
        await tmux.SendKeysAsync("Enter");
        var screen = await tmux.WaitForTextAsync("Your monthly spend limit reached ($10.50 of $10.00)", TimeSpan.FromSeconds(60));
        // The line wraps at the terminal's width: compare it as words.
        System.Text.RegularExpressions.Regex.Replace(screen, @"\s+", " ").ShouldContain("· ask your Switchboard admin for an increase", customMessage: screen);
        upstream.Requests.ShouldNotContain(request => request.BodyText.Contains("Say hello again.", StringComparison.Ordinal), "refused before the provider");
    }
}
