using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// The real <c>switchboard code</c> with the default route on a 32k local model: Claude Code is started on the
/// model's own name (which it does not take for Claude, so the window applies), told the window, and its replies capped
/// so the window leaves room to compact; a model the user chose is left alone.
/// </summary>
public sealed class CodeDefaultRouteWindowTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private ScriptedOllama _ollama = null!;
    private string _recorded = null!;
    private string _path = null!;

    public CodeDefaultRouteWindowTests() => _cli = new CliRunner(_home);

    public async ValueTask InitializeAsync()
    {
        _ollama = await ScriptedOllama.StartAsync();
        _ollama.Models.Clear();
        _ollama.Models["qwen2.5-coder:7b"] = (["completion", "tools"], 32768);
        _home.WriteConfig($$"""
            { "port": {{TestPorts.Free()}},
              "providers": { "anthropic": { "type": "anthropic" }, "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" } },
              "routes": { "default": "ollama-local:qwen2.5-coder:7b" } }
            """);
        _recorded = Path.Combine(_home.Folder, "claude-env.txt");
        _path = await FakeClaude.WriteAsync(Path.Combine(_home.Folder, "bin"), $"env > '{_recorded}'\n");
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        await _ollama.DisposeAsync();
        _home.Dispose();
    }

    private async Task<(string Stdout, Dictionary<string, string> Claude)> CodeAsync(string[] args, Dictionary<string, string>? environment = null)
    {
        var result = await _cli.RunAsync(["code", "--no-discovery", .. args], path: _path,
            environment: environment ?? new() { ["ANTHROPIC_API_KEY"] = "sk-ant-api03-test" });
        result.ExitCode.ShouldBe(0, result.ToString());
        var env = (await File.ReadAllLinesAsync(_recorded, TestContext.Current.CancellationToken))
            .Where(line => line.Contains('=')).Select(line => line.Split('=', 2)).GroupBy(pair => pair[0]).ToDictionary(g => g.Key, g => g.Last()[1]);
        return (result.Stdout + result.Stderr, env);
    }

    [Fact]
    public async Task Code_DefaultRouteOnA32kModel_StartsOnItsNameWithItsWindowAndAReplyCap()
    {
        var (output, claude) = await CodeAsync(["-p", "hi"]);

        claude["ANTHROPIC_MODEL"].ShouldBe("qwen2.5-coder:7b");
        claude["CLAUDE_CODE_MAX_CONTEXT_TOKENS"].ShouldBe("32768");
        claude["CLAUDE_CODE_MAX_OUTPUT_TOKENS"].ShouldBe("4096");
        output.ShouldContain("main model   qwen2.5-coder:7b (the default route, ollama-local:qwen2.5-coder:7b");
    }

    [Fact]
    public async Task Code_ModelChosenByFlagOrEnvironment_IsLeftAlone()
    {
        (await CodeAsync(["--model", "claude-sonnet-4-5", "-p", "hi"])).Claude.ShouldNotContainKey("ANTHROPIC_MODEL");

        var (_, claude) = await CodeAsync(["-p", "hi"], new() { ["ANTHROPIC_API_KEY"] = "sk-ant-api03-test", ["ANTHROPIC_MODEL"] = "my-own-pick" });
        claude["ANTHROPIC_MODEL"].ShouldBe("my-own-pick");
    }
}
