using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 15, item 2, with the real Claude Code: a fresh user with no Claude login is told what to do (exit 2, no hang),
/// runs the local-model command the advice prints, and the next <c>switchboard code -p</c> answers from Ollama.
/// </summary>
public sealed class SwitchboardCodeLocalOnlyEndToEndTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly ClaudeCodeRunner _claude = new();
    private CliRunner _cli = null!;
    private ScriptedOllama _ollama = null!;

    public async ValueTask InitializeAsync()
    {
        _cli = new CliRunner(_home);
        _ollama = await ScriptedOllama.StartAsync();
        _ollama.Chat = _ => [ScriptedOllama.Text("Answered locally: E2E-LOCAL-7"), ScriptedOllama.Done()];
        _home.WriteConfig($$"""
            { "port": {{TestPorts.Free()}},
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:9" },
                             "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" } } }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        await _ollama.DisposeAsync();
        _claude.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task SwitchboardCode_NoLogin_AdvisesAtOnce_ThenTheSuggestedLocalModelAnswers()
    {
        var claudeFolder = Path.GetDirectoryName(ClaudeCodeRunner.ClaudeExecutable)!;
        var environment = _claude.Environment(baseUrl: "set-by-switchboard-code");
        environment.Remove("ANTHROPIC_BASE_URL");
        environment.Remove("PATH");
        environment["ANTHROPIC_API_KEY"] = "";
        environment["CLAUDE_CONFIG_DIR"] = Path.Combine(_claude.Home, ".claude");
        var path = $"{claudeFolder}:/usr/bin:/bin";

        var advice = await _cli.RunAsync(["code", "-p", "hi", "--dangerously-skip-permissions"], path: path, environment: environment);
        advice.ExitCode.ShouldBe(2, advice.ToString());
        var command = advice.Stderr.Split('\n').Select(line => line.Trim()).First(line => line.StartsWith("switchboard model-default ", StringComparison.Ordinal));
        (await _cli.RunAsync(command.Split(' ')[1..], environment: environment)).ExitCode.ShouldBe(0);

        var result = await _cli.RunAsync(["code", "-p", "hi", "--dangerously-skip-permissions"], path: path, environment: environment);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Answered locally: E2E-LOCAL-7", customMessage: result.ToString());
    }
}
