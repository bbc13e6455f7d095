using System.Net;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Providers.Anthropic;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.ClaudeCode;

/// <summary>
/// Discovery mode with a year-long <c>claude setup-token</c> token: given as <c>CLAUDE_CODE_OAUTH_TOKEN</c> to the
/// router, it takes the sentinel's place ahead of the stored login (which expires within hours and which only Claude
/// Code refreshes), for Anthropic only.
/// </summary>
public sealed class SetupTokenTests : IAsyncLifetime
{
    private const string SetupToken = "sk-ant-oat01-LONGLIVED-9f3k";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly TempHome _claudeDir = new();
    private ScriptedUpstream _anthropic = null!;
    private ScriptedOllama _ollama = null!;

    public async ValueTask InitializeAsync()
    {
        var model = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("ok") };
        _anthropic = await ScriptedUpstream.StartAsync(model.HandleAsync);
        _ollama = await ScriptedOllama.StartAsync();
        // The stored login has expired: a long session without the setup token would now get a 401.
        File.WriteAllText(Path.Combine(_claudeDir.Folder, ".credentials.json"), new JsonObject
        {
            ["claudeAiOauth"] = new JsonObject { ["accessToken"] = "sk-ant-oat01-STALE", ["expiresAt"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() },
        }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _ollama.DisposeAsync();
        await _anthropic.DisposeAsync();
        _claudeDir.Dispose();
    }

    private string Config(int? port = null) => $$"""
        {
          {{(port is null ? "" : $"\"port\": {port},")}}
          "defaultProvider": "anthropic",
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "{{_anthropic.BaseUrl}}" },
            "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" }
          }
        }
        """;

    private static HttpRequestMessage WithSentinel(string model)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(model, stream: false)) };
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + SubscriptionToken.Sentinel);
        return request;
    }

    [Fact]
    public async Task SetupToken_TakesTheSentinelsPlace_AheadOfAnExpiredStoredLogin_AndReachesOnlyAnthropic()
    {
        await using var switchboard = await RunningSwitchboard.StartAsync(Config(),
            options => options with { ClaudeConfigDirectory = _claudeDir.Folder, SubscriptionEnvironmentToken = SetupToken });

        using var toAnthropic = await switchboard.Client.SendAsync(WithSentinel("claude-sonnet-5-5"), Cancel);
        using var toOllama = await switchboard.Client.SendAsync(WithSentinel("ollama-local:qwen3:8b"), Cancel);

        toAnthropic.StatusCode.ShouldBe(HttpStatusCode.OK, await toAnthropic.Content.ReadAsStringAsync(Cancel));
        var seen = _anthropic.Requests.Single();
        seen.Header("authorization").ShouldBe("Bearer " + SetupToken);
        seen.Header("anthropic-beta")!.ShouldContain(SubscriptionToken.OAuthBeta);
        toOllama.StatusCode.ShouldBe(HttpStatusCode.OK);
        _ollama.Requests.ShouldAllBe(r => r.Header("authorization") == null && !r.BodyText.Contains("LONGLIVED"));
        switchboard.Logs.All.ShouldNotContain("LONGLIVED");
        (await switchboard.Client.GetStringAsync("/health", Cancel)).ShouldContain("\"setupTokenLogin\":true");
    }

    [Fact]
    public async Task Code_StartsTheRouterWithTheSetupToken_AndSaysSoWhenARunningRouterLacksIt()
    {
        using var home = new TempHome();
        var cli = new CliRunner(home);
        try
        {
            var port = TestPorts.Free();
            home.WriteConfig(Config(port));
            // A claude that sends one request with the token it is given (in discovery mode, the sentinel)
            var path = await FakeClaude.WriteAsync(Path.Combine(home.Folder, "bin"), """
                curl -s -X POST "$ANTHROPIC_BASE_URL/v1/messages" -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' \
                  -H "authorization: Bearer $ANTHROPIC_AUTH_TOKEN" \
                  -d '{"model":"claude-sonnet-5-5","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}'
                """);
            var withToken = new Dictionary<string, string> { ["CLAUDE_CONFIG_DIR"] = _claudeDir.Folder, ["CLAUDE_CODE_OAUTH_TOKEN"] = SetupToken };
            var withoutToken = new Dictionary<string, string> { ["CLAUDE_CONFIG_DIR"] = _claudeDir.Folder };

            // Given a router already running that was started without the token
            var started = await cli.RunAsync(["start"], environment: withoutToken);
            started.ExitCode.ShouldBe(0, started.ToString());

            // When `code` runs with the token set, it warns that the running router does not have it (and the stale login is refused)
            var stale = await cli.RunAsync(["code", "--non-interactive", "-p", "x"], path: path, environment: withToken);
            stale.ExitCode.ShouldBe(0, stale.ToString());
            stale.Stderr.ShouldContain("CLAUDE_CODE_OAUTH_TOKEN is set here, but the running router was started without it");
            stale.Stderr.ShouldContain("switchboard restart");
            stale.Stdout.ShouldContain("authentication_error");
            _anthropic.Requests.ShouldBeEmpty();

            // When the router is restarted from the shell holding the token, the next session uses it
            (await cli.RunAsync(["restart"], environment: withToken)).ExitCode.ShouldBe(0);
            var fresh = await cli.RunAsync(["code", "--non-interactive", "-p", "x"], path: path, environment: withToken);

            fresh.ExitCode.ShouldBe(0, fresh.ToString());
            fresh.Stderr.ShouldContain("login        CLAUDE_CODE_OAUTH_TOKEN");
            fresh.Stderr.ShouldNotContain("started without it");
            _anthropic.Requests.Single().Header("authorization").ShouldBe("Bearer " + SetupToken);
            File.ReadAllText(home.Home.LogFile).ShouldNotContain("LONGLIVED");
        }
        finally
        {
            await cli.StopDaemonAsync();
        }
    }
}
