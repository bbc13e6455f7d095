using System.Net;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>switchboard code</c> and <c>activate</c>, with a stand-in <c>claude</c> that reports what it got.</summary>
public sealed class CodeCommandTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private readonly string _bin;
    private int _port;

    public CodeCommandTests()
    {
        _cli = new CliRunner(_home);
        _bin = Path.Combine(_home.Folder, "bin");
    }

    public ValueTask InitializeAsync()
    {
        _port = TestPorts.Free();
        _home.WriteConfig("{\"port\": " + _port + """, "apiKey": "$SB_TEST_DOOR_KEY", "subagentModel": "anthropic:claude-haiku-4-5", "providers": {"anthropic": {"type": "anthropic"}}}""");
        Directory.CreateDirectory(_bin);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task CodeHelp_ShowsSwitchboardsOwnOptions_AndRunsNeitherClaudeNorTheRouter()
    {
        // Given a stand-in claude that would say so if it ran
        var path = await FakeClaude.WriteAsync(_bin, "echo claude-ran \"$@\"\n");

        // When code's help is asked for
        var help = await _cli.RunAsync(["code", "--help"], path: path);

        // Then our options are listed, with the way to Claude Code's own help, and nothing was started
        help.ExitCode.ShouldBe(0, help.ToString());
        help.Stdout.ShouldContain("switchboard code [<claude-args>...] [options]");
        foreach (var option in new[] { "--port", "--ollama-url", "--default-model", "--model-map", "--strict-thinking", "--verbose",
                     "--non-interactive", "--no-discovery", "--discovery", "--bridge" })
            help.Stdout.ShouldContain($"  {option} ");
        help.Stdout.ShouldContain("Claude Code's own options: switchboard code -- --help");
        help.Stdout.ShouldNotContain("claude-ran");
        File.Exists(_home.Home.PidFile).ShouldBeFalse();
    }

    [Fact]
    public async Task CodeDashDashHelp_PassesHelpToClaudeCode()
    {
        var path = await FakeClaude.WriteAsync(_bin, "for a in \"$@\"; do echo \"arg=[$a]\"; done\n");

        var help = await _cli.RunAsync(["code", "--", "--help"], path: path,
            environment: new Dictionary<string, string> { ["SB_TEST_DOOR_KEY"] = "door-123" });

        help.ExitCode.ShouldBe(0, help.ToString());
        help.Stdout.ShouldContain("arg=[--help]\n");
        help.Stdout.ShouldNotContain("Claude Code's own options");
    }

    [Fact]
    public async Task Code_WithClaudeOnPath_PassesArgsEnvStdinAndExitCode()
    {
        // Given a stand-in claude that echoes what it received and exits 7
        var fake = Path.Combine(_bin, "claude");
        await File.WriteAllTextAsync(fake, """
            #!/bin/bash
            for a in "$@"; do echo "arg=[$a]"; done
            echo "base=$ANTHROPIC_BASE_URL"
            echo "headers=$ANTHROPIC_CUSTOM_HEADERS"
            echo "hints=$CLAUDE_CODE_GATEWAY_HINT_HEADERS subagent=$CLAUDE_CODE_SUBAGENT_MODEL"
            echo "stdin=$(cat)"
            exit 7
            """.Replace("\r\n", "\n"), TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // When switchboard code runs it with flags that are claude's, not ours
        var result = await _cli.RunAsync(["code", "-p", "two words", "--model", "x:y", "--help"],
            path: $"{_bin}:/usr/bin:/bin", stdin: "piped input",
            environment: new Dictionary<string, string> { ["SB_TEST_DOOR_KEY"] = "door-123", ["ANTHROPIC_API_KEY"] = "sk-ant-api03-test" });

        // Then every argument, the router URL, the client key header, stdin and the exit code pass through
        result.ExitCode.ShouldBe(7, result.ToString());
        result.Stdout.ShouldContain("arg=[-p]\narg=[two words]\narg=[--model]\narg=[x:y]\narg=[--help]\n");
        result.Stdout.ShouldContain($"base=http://127.0.0.1:{_port}\n");
        result.Stdout.ShouldContain("headers=x-switchboard-key: door-123\n");
        // And duty routing gets Claude Code's request-class hints, and subagents the configured model
        result.Stdout.ShouldContain("hints=1 subagent=anthropic:claude-haiku-4-5\n");
        result.Stdout.ShouldContain("stdin=piped input");
        // And the router was started for it, and stays up
        (await _cli.RunAsync("status")).ExitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Code_WithoutClaude_Exits127WithTheInstallCommand()
    {
        var result = await _cli.RunAsync(["code", "-p", "hi"], path: _bin);

        result.ExitCode.ShouldBe(127, result.ToString());
        result.Stderr.ShouldContain("was not found on PATH");
        result.Stderr.ShouldContain("npm install -g @anthropic-ai/claude-code");
    }

    [Fact]
    public async Task Activate_EvaluatedByBash_PointsClaudeAtTheRouterWithoutPrintingTheKey()
    {
        var printed = await _cli.RunAsync("activate");
        var evaluated = await _cli.RunAsync(
            ["-c", $"eval \"$('{CliRunner.Executable}' activate --shell bash 2>/dev/null)\"; echo \"$ANTHROPIC_BASE_URL|$ANTHROPIC_CUSTOM_HEADERS|$NO_PROXY\""],
            environment: new Dictionary<string, string> { ["SB_TEST_DOOR_KEY"] = "door-456" }, fileName: "/bin/bash");

        printed.ExitCode.ShouldBe(0);
        printed.Stdout.ShouldNotContain("door-456");
        evaluated.Stdout.Trim().ShouldStartWith($"http://127.0.0.1:{_port}|x-switchboard-key: door-456|127.0.0.1,localhost");
    }
}
