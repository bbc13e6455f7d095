using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// Issue 15, item 2: <c>switchboard code</c> with no Anthropic credential and the default route going to Anthropic
/// gives one screen of advice and exits 2 (headless) instead of starting a Claude Code that retries a 401 for minutes.
/// </summary>
public sealed class MissingLoginTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private readonly string _claudeRan;
    private ScriptedOllama _ollama = null!;
    private int _port;

    public MissingLoginTests()
    {
        _cli = new CliRunner(_home);
        _claudeRan = Path.Combine(_home.Folder, "claude-ran.txt");
    }

    private string Bin => Path.Combine(_home.Folder, "bin");

    public async ValueTask InitializeAsync()
    {
        _ollama = await ScriptedOllama.StartAsync();
        _port = TestPorts.Free();
        Directory.CreateDirectory(Path.Combine(_home.Folder, "user", ".claude"));
        _home.WriteConfig($$"""
            {
              "port": {{_port}},
              "defaultProvider": "anthropic",
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:9" },
                "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" }
              }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        await _ollama.DisposeAsync();
        _home.Dispose();
    }

    /// <summary>A claude that notes it ran, then sends one request through the router it was given.</summary>
    private Task<string> ClaudeAskingTheRouterAsync() => FakeClaude.WriteAsync(Bin, $$"""
        echo ran > '{{_claudeRan}}'
        echo "base=$ANTHROPIC_BASE_URL"
        curl -s -X POST "$ANTHROPIC_BASE_URL/v1/messages" -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' \
          -d '{"model":"claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}'
        """);

    [Fact]
    public async Task Code_NoLoginAndAnthropicDefault_Headless_Exits2AtOnceWithTheAdvice_AndClaudeDoesNotRun()
    {
        // Given a fresh user with no Claude login or key, an Anthropic default route and an Ollama with models
        var path = await ClaudeAskingTheRouterAsync();

        // When they run a headless prompt
        var started = DateTime.UtcNow;
        var result = await _cli.RunAsync(["code", "-p", "hi"], path: path, environment: _home.FreshClaudeUser());

        // Then it ends at once with exit 2 and the three ways on, the exact commands included
        result.ExitCode.ShouldBe(2, result.ToString());
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(30));
        result.Stderr.ShouldContain("no Anthropic credential");
        result.Stderr.ShouldContain($"{Path.Combine(Bin, "claude")} auth login");
        result.Stderr.ShouldContain("export ANTHROPIC_API_KEY=");
        result.Stderr.ShouldContain("switchboard model-default ollama-local:qwen3:8b");
        // And neither Claude Code nor the router was started
        File.Exists(_claudeRan).ShouldBeFalse();
        File.Exists(_home.Home.PidFile).ShouldBeFalse();
    }

    [Fact]
    public async Task Code_NonInteractiveFlag_WithoutPrint_AlsoExits2()
    {
        var path = await ClaudeAskingTheRouterAsync();

        var result = await _cli.RunAsync(["code", "--non-interactive"], path: path, environment: _home.FreshClaudeUser());

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("switchboard model-default ollama-local:qwen3:8b");
        File.Exists(_claudeRan).ShouldBeFalse();
    }

    [Fact]
    public async Task Code_AfterTheSuggestedSwitch_RunsClaudeWiredToTheRouter_AndOllamaAnswers()
    {
        // Given the advice's local-model command, run as printed
        var path = await ClaudeAskingTheRouterAsync();
        var advice = await _cli.RunAsync(["code", "-p", "hi"], path: path, environment: _home.FreshClaudeUser());
        var command = advice.Stderr.Split('\n').Select(line => line.Trim()).First(line => line.StartsWith("switchboard model-default ", StringComparison.Ordinal));
        var switched = await _cli.RunAsync(command.Split(' ')[1..], environment: _home.FreshClaudeUser());
        switched.ExitCode.ShouldBe(0, switched.ToString());

        // When the same prompt runs again
        var result = await _cli.RunAsync(["code", "-p", "hi"], path: path, environment: _home.FreshClaudeUser());

        // Then claude ran against the router, and the scripted Ollama answered
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldNotContain("no Anthropic credential");
        result.Stdout.ShouldContain($"base=http://127.0.0.1:{_port}\n");
        result.Stdout.ShouldContain("hello from ollama");
        _ollama.ChatRequests.Single()["model"]!.GetValue<string>().ShouldBe("qwen3:8b");
    }

    [Fact]
    public async Task Code_WithAnApiKey_GivesNoAdvice_AndClaudeRuns()
    {
        var path = await FakeClaude.WriteAsync(Bin, $"echo ran > '{_claudeRan}'\n");

        var result = await _cli.RunAsync(["code", "-p", "hi"], path: path, environment: _home.FreshClaudeUser(("ANTHROPIC_API_KEY", "sk-ant-api03-test")));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldNotContain("no Anthropic credential");
        File.Exists(_claudeRan).ShouldBeTrue();
    }

    [Fact]
    public async Task Code_WithAStoredClaudeLogin_GivesNoAdvice_AndClaudeRuns()
    {
        var path = await FakeClaude.WriteAsync(Bin, $"echo ran > '{_claudeRan}'\n");
        var user = _home.FreshClaudeUser();
        await File.WriteAllTextAsync(Path.Combine(user["CLAUDE_CONFIG_DIR"], ".credentials.json"),
            $$$"""{"claudeAiOauth":{"accessToken":"sk-ant-oat01-TEST","expiresAt":{{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds()}}}}}""",
            TestContext.Current.CancellationToken);

        var result = await _cli.RunAsync(["code", "-p", "hi"], path: path, environment: user);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldNotContain("no Anthropic credential");
        File.Exists(_claudeRan).ShouldBeTrue();
    }

    [Fact]
    public async Task Code_WithAnOllamaDefaultForThisRun_GivesNoAdvice_AndClaudeRuns()
    {
        var path = await ClaudeAskingTheRouterAsync();

        var result = await _cli.RunAsync(["code", "--default-model", "ollama-local:llama3.2:3b", "-p", "hi"], path: path, environment: _home.FreshClaudeUser());

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldNotContain("no Anthropic credential");
        result.Stdout.ShouldContain("hello from ollama");
    }
}
