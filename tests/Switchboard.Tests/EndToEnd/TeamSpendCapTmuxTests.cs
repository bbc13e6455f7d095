using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using Switchboard.Tests.Team;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 17, item 6 with the real, interactive Claude Code in tmux against a team replica (real PostgreSQL and Redis),
/// started in gateway mode as a launcher starts it (<c>CLAUDE_CODE_USE_GATEWAY=1</c>, the gateway's URL and the user's
/// key as the bearer): past 75% and past 95% of the cap Claude Code shows its own "You've used NN% of your usage
/// credits" notice from the <c>anthropic-ratelimit-unified-*</c> headers, <c>/usage</c> shows the dollars from
/// <c>GET /api/oauth/usage</c>, and once the cap is reached it prints the gateway's 429 <c>billing_error</c> message
/// (when it resets, what to do) instead of retrying into the block.
/// </summary>
public sealed class TeamSpendCapTmuxTests : IDisposable
{
    private readonly ClaudeCodeRunner _claude = new();

    public void Dispose() => _claude.Dispose();

    [Fact]
    public async Task ClaudeCode_ShowsTheUsageNoticesPast75And95Percent_TheDollarsInUsage_AndTheCapMessage()
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
        await LimitCountersTests.LedgerRowAsync(database, user.Id, DateTimeOffset.UtcNow, 7.00);
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{upstream.BaseUrl}}", "apiKey": "gateway-key" } },
              "team": { "postgres": "{{connection}}", "redis": "{{redis.Url}}", "publicUrl": "https://switchboard.example.com" }
            }
            """);
        _claude.SkipOnboardingAndTrustFolder();

        var environment = _claude.DiscoveryEnvironment(switchboard.Address.ToString().TrimEnd('/'), key.Key);
        environment["CLAUDE_CODE_USE_GATEWAY"] = "1";
        async Task<TmuxSession> ClaudeCodeAsync()
        {
            var session = await TmuxSession.StartAsync(_claude.WorkingDirectory, environment, [ClaudeCodeRunner.ClaudeExecutable]);
            await session.WaitForTextAsync("❯");
            return session;
        }
        await using var other = await TeamRedis.ConnectAsync(redis.Url);
        // Spend elsewhere (another replica, as far as this one knows) moves the user's standing between turns.
        Task SpentElsewhereAsync(long micros) => other.GetDatabase().StringSetAsync(LimitCounters.KeyOf(cap, DateTimeOffset.UtcNow), micros);

        await using (var first = await ClaudeCodeAsync())
        {
            await first.TypeAsync("Say hello.");
            await first.SendKeysAsync("Enter");
            (await first.WaitForTextAsync("E2E-TEAM-ANSWER", TimeSpan.FromSeconds(60))).ShouldNotContain("of your usage credits", customMessage: "70% is below the first notice");
            await SpentElsewhereAsync(8_000_000);
            await TurnsUntilTheNoticeAsync(first, "You've used 80% of your usage credits · resets ");
        }
        // The client shows one notice per session while the status stays allowed_warning, so the 95% one is seen by
        // the next session (a developer's next start), as Anthropic's own subscribers see it.
        await SpentElsewhereAsync(9_600_000);
        await using var tmux = await ClaudeCodeAsync();
        await TurnsUntilTheNoticeAsync(tmux, "You've used 96% of your usage credits · resets ");

        await tmux.TypeAsync("/usage");
        await tmux.SendKeysAsync("Enter");
        var usage = await tmux.WaitForTextAsync("$9.60 / $10.00 spent this month", TimeSpan.FromSeconds(60));
        usage.ShouldContain("96% used", customMessage: usage);
        await tmux.SendKeysAsync("Escape");
        await tmux.WaitForScreenAsync(screen => !screen.Contains("spent this month", StringComparison.Ordinal), "the /usage panel to close");

        await SpentElsewhereAsync(10_500_000);
        await tmux.TypeAsync("Say hello again.");
        await tmux.SendKeysAsync("Enter");
        var screen = await tmux.WaitForTextAsync("Your monthly spend limit reached ($10.50 of $10.00)", TimeSpan.FromSeconds(60));
        // The line wraps at the terminal's width: compare it as words.
        System.Text.RegularExpressions.Regex.Replace(screen, @"\s+", " ").ShouldContain("· ask your Switchboard admin for an increase", customMessage: screen);
        upstream.Requests.ShouldNotContain(request => request.BodyText.Contains("Say hello again.", StringComparison.Ordinal), "refused before the provider");
    }

    /// <summary>
    /// Sends turns until Claude Code shows <paramref name="notice"/>: the client draws it a moment after the reply
    /// that carried the headers, sometimes only after the next one, so each try is another real turn, up to a deadline.
    /// </summary>
    private static async Task TurnsUntilTheNoticeAsync(TmuxSession tmux, string notice)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(120);
        for (var turn = 1; ; turn++)
        {
            await tmux.TypeAsync($"Say hello, turn {turn}.");
            await tmux.SendKeysAsync("Enter");
            try
            {
                await tmux.WaitForTextAsync(notice, TimeSpan.FromSeconds(10));
                return;
            }
            catch (TimeoutException) when (DateTimeOffset.UtcNow < deadline)
            {
            }
        }
    }
}
