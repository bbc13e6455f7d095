using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 15, "Context windows", with the real Claude Code: the default route goes to a 32k local model, and a headless
/// session of four big turns (<c>switchboard code -p … --continue</c>) compacts when the window fills up and carries
/// on, instead of sending the model more than its window. Without the wiring Claude Code takes the session's model for
/// Claude (or, by its bare name, for a 1M-token model) and the fourth turn overflows; without the reply cap a 32k
/// window leaves Claude Code a negative threshold and it refuses the first turn as "Prompt is too long".
/// </summary>
public sealed class SwitchboardCodeCompactionEndToEndTests : IAsyncLifetime
{
    private const string Model = "qwen2.5-coder:7b";
    private const int Window = 32768;

    private readonly TempHome _home = new();
    private readonly ClaudeCodeRunner _claude = new();
    private readonly ScriptedSmallWindowModel _model = new();
    private CliRunner _cli = null!;
    private ScriptedOllama _ollama = null!;

    public async ValueTask InitializeAsync()
    {
        _cli = new CliRunner(_home);
        _ollama = await ScriptedOllama.StartAsync();
        _ollama.Models.Clear();
        _ollama.Models[Model] = (["completion", "tools"], Window);
        _ollama.Chat = _model.Answer;
        _home.WriteConfig($$"""
            { "port": {{TestPorts.Free()}},
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:9" },
                             "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" } },
              "routes": { "default": "ollama-local:{{Model}}" } }
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
    public async Task DefaultRouteToA32kModel_FourBigTurns_ClaudeCodeCompactsAndCarriesOn_NothingOverTheWindow()
    {
        // About 8k tokens a turn by the model's count: the conversation passes 32k on the fourth turn unless compacted.
        var filler = string.Concat(Enumerable.Repeat("filler ", 4600));
        for (var turn = 1; turn <= 4; turn++)
        {
            var result = await CodeAsync($"Turn {turn}: remember the code word E2E-TURN-{turn}. {filler}", resume: turn > 1);

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Stdout.ShouldContain($"noted E2E-TURN-{turn}", customMessage: result.ToString());
        }

        var seen = _model.Requests.ToList();
        _model.OverWindow.ShouldBeEmpty(Describe(seen));
        seen.ShouldContain(r => r.IsCompaction, Describe(seen));
        // After the summary the session went on from it: a later turn's request is small again and carries the summary.
        var afterSummary = seen.SkipWhile(r => !r.IsCompaction).Where(r => !r.IsCompaction).ToList();
        afterSummary.ShouldNotBeEmpty(Describe(seen));
        afterSummary[0].Tokens.ShouldBeLessThan(Window / 2, Describe(seen));
        _ollama.ChatRequests.Last()["messages"]!.ToJsonString().ShouldContain("E2E-SUMMARY", customMessage: Describe(seen));
        _ollama.ChatRequests.ShouldAllBe(chat => chat["model"]!.GetValue<string>() == Model);
    }

    private Task<ChildProcess.Result> CodeAsync(string prompt, bool resume)
    {
        var environment = _claude.Environment(baseUrl: "set-by-switchboard-code");
        environment.Remove("ANTHROPIC_BASE_URL");
        environment.Remove("PATH");
        environment["CLAUDE_CONFIG_DIR"] = Path.Combine(_claude.Home, ".claude");
        var path = $"{Path.GetDirectoryName(ClaudeCodeRunner.ClaudeExecutable)}:/usr/bin:/bin";
        string[] args = ["code", "-p", prompt, "--dangerously-skip-permissions", .. resume ? new[] { "--continue" } : []];
        return _cli.RunAsync(args, path: path, environment: environment, workingDirectory: _claude.WorkingDirectory);
    }

    private static string Describe(IEnumerable<ScriptedSmallWindowModel.Seen> seen) =>
        "requests (tokens/window, compaction?): " + string.Join(", ", seen.Select(r => $"{r.Tokens}/{r.Window}{(r.IsCompaction ? " compaction" : "")}"));
}
