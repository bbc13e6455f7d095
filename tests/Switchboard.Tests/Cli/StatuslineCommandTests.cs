using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// <c>switchboard statusline</c> run the way Claude Code runs it: from inside the session (so with its
/// <c>ANTHROPIC_BASE_URL</c>), with the session JSON on stdin, after that session sent a request.
/// </summary>
public sealed class StatuslineCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private ScriptedOllama _ollama = null!;

    public StatuslineCommandTests() => _cli = new CliRunner(_home);

    public async ValueTask InitializeAsync()
    {
        _ollama = await ScriptedOllama.StartAsync();
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:9" } } }""");
    }

    public async ValueTask DisposeAsync()
    {
        await _ollama.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task Statusline_AfterARequestOfTheSession_ShowsRouteModelAndTokens()
    {
        // Given a claude that sends one request for session S, then runs the status line for S and for an unknown session
        var path = await FakeClaude.WriteAsync(Path.Combine(_home.Folder, "bin"), """
            curl -s -o /dev/null -X POST "$ANTHROPIC_BASE_URL/v1/messages" -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' \
              -d '{"model":"claude-sonnet-4-5","max_tokens":50,"metadata":{"user_id":"{\"device_id\":\"d\",\"session_id\":\"sess-1\"}"},"messages":[{"role":"user","content":"hi"}]}'
            echo '{"session_id":"sess-1","model":{"id":"claude-sonnet-4-5","display_name":"Sonnet 4.5"}}' | "$SB_EXE" statusline
            echo '{"session_id":"sess-1","model":{"display_name":"Sonnet 4.5"},"context_window":{"total_input_tokens":15234,"total_output_tokens":812}}' | "$SB_EXE" statusline
            echo '{"session_id":"other","model":{"display_name":"Opus"}}' | "$SB_EXE" statusline
            """);

        var result = await _cli.RunAsync(["code", "--ollama-url", _ollama.BaseUrl, "--default-model", "ollama-local:qwen3:8b", "-p", "x"],
            path: path, environment: new Dictionary<string, string> { ["SB_EXE"] = CliRunner.Executable });

        // Then each line names the route and target the session's request took, the model, and tokens
        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldMatch(@"^default → ollama-local:qwen3:8b \| Sonnet 4\.5 \| ~\d+ ctx, 1 req$");
        lines[1].ShouldBe("default → ollama-local:qwen3:8b | Sonnet 4.5 | 15.2k in / 812 out");
        lines[2].ShouldBe("switchboard: no request yet | Opus");
    }

    [Fact]
    public async Task Statusline_NoRouter_SaysSoAndStillExitsZero()
    {
        var result = await _cli.RunAsync(["statusline"], stdin: """{"session_id":"s","model":{"display_name":"Haiku"}}""");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldBe("switchboard: not running | Haiku\n");
    }
}
