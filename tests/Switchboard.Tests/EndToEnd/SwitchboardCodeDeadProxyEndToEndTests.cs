using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 15, item 5: with <c>proxyUrl</c> pointing at a proxy that is not running, <c>switchboard code -p</c> with the
/// real Claude Code ends with the proxy named, instead of Claude Code retrying the 502 for minutes in silence.
/// </summary>
public sealed class SwitchboardCodeDeadProxyEndToEndTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly ClaudeCodeRunner _claude = new();
    private readonly int _deadProxyPort = TestPorts.Free();
    private CliRunner _cli = null!;

    public ValueTask InitializeAsync()
    {
        _cli = new CliRunner(_home);
        // The upstream is not on this machine, so the request goes to the proxy, which nothing listens for: no network.
        _home.WriteConfig($$"""
            {
              "port": {{TestPorts.Free()}},
              "proxyUrl": "http://127.0.0.1:{{_deadProxyPort}}",
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "https://api.upstream.invalid" } }
            }
            """);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        _claude.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task SwitchboardCode_WithADeadProxy_EndsWithTheProxyNamed()
    {
        var claudeFolder = Path.GetDirectoryName(ClaudeCodeRunner.ClaudeExecutable)!;
        var environment = _claude.Environment(baseUrl: "set-by-switchboard-code");
        environment.Remove("ANTHROPIC_BASE_URL");
        environment.Remove("PATH");

        // The harness's 90 s limit: Claude Code's retries of a plain 502 would take minutes and time out
        var result = await _cli.RunAsync(["code", "-p", "hi", "--dangerously-skip-permissions"],
            path: $"{claudeFolder}:/usr/bin:/bin", environment: environment);

        result.ExitCode.ShouldNotBe(0, result.ToString());
        var output = result.Stdout + result.Stderr;
        output.ShouldContain($"through the proxy http://127.0.0.1:{_deadProxyPort}", customMessage: result.ToString());
        // (Claude Code ends the message with its own advice, turning our question mark into a full stop.)
        output.ShouldContain("Is the proxy running, and is proxyUrl (or HTTPS_PROXY) right", customMessage: result.ToString());
    }
}
