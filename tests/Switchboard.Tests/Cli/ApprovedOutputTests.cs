using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// Issue 16, item 9: what people read (every command's <c>--help</c>, <c>status</c>, <c>route --explain</c>,
/// <c>usage</c>, the wiring summary of <c>code</c> and its first-run advice) is checked whole against approved files in
/// <c>Cli/Approved/</c>, so a change in wording is a reviewed diff rather than a missed <c>ShouldContain</c>.
/// Run <c>tests/approve</c> after reviewing a <c>.received.txt</c>.
/// </summary>
public sealed partial class ApprovedOutputTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private readonly int _port = TestPorts.Free();

    public ApprovedOutputTests() => _cli = new CliRunner(_home);

    public ValueTask InitializeAsync()
    {
        // Providers that answer nothing (port 9), so no output depends on what runs on this machine.
        _home.WriteConfig($$"""
            {
              "port": {{_port}},
              "defaultProvider": "anthropic",
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:9" },
                "ollama-local": { "type": "ollama", "baseUrl": "http://127.0.0.1:9" }
              },
              "routes": { "subagent": ["ollama-local:qwen3:8b", "anthropic"] }
            }
            """);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        SampleLedger.Release();
        _home.Dispose();
    }

    [Fact]
    public async Task Help_OfEveryCommand_IsTheApprovedText()
    {
        var failures = new List<string>();
        var names = new List<string>();
        var pending = new Queue<string[]>([[]]);
        while (pending.TryDequeue(out var command))
        {
            var help = await _cli.RunAsync([.. command, "--help"]);
            help.ExitCode.ShouldBe(0, help.ToString());
            var name = string.Join('.', ["help", .. command]);
            names.Add(name);
            if (Approvals.Compare(name, help.Stdout) is { } failure) failures.Add(failure);
            foreach (var sub in Subcommands(help.Stdout)) pending.Enqueue([.. command, sub]);
        }

        names.Count.ShouldBeGreaterThan(20, "the walk should reach every command of the root help and their own subcommands");
        failures.ShouldBeEmpty();
        // A command that was removed leaves no approved help behind.
        Approvals.Approved("help").ShouldBe(names.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task Status_Stopped_IsTheApprovedText()
    {
        var status = await _cli.RunAsync("status");

        status.ExitCode.ShouldBe(3, status.ToString());
        Approvals.Verify("status.stopped", Scrub(status.Stdout));
    }

    [Fact]
    public async Task Status_Running_IsTheApprovedText()
    {
        (await _cli.RunAsync("start")).ExitCode.ShouldBe(0);

        var status = await _cli.RunAsync("status");

        status.ExitCode.ShouldBe(0, status.ToString());
        Approvals.Verify("status.running", Scrub(status.Stdout));
    }

    [Fact]
    public async Task Status_BrokenConfig_IsTheApprovedText()
    {
        _home.WriteConfig("""{ "providers": { "x": { "type": "nope" } }, "port": "many" }""");

        var status = await _cli.RunAsync("status");

        status.ExitCode.ShouldNotBe(0, status.ToString());
        Approvals.Verify("status.broken-config", Scrub(status.Stdout + status.Stderr));
    }

    [Fact]
    public async Task RouteExplain_RecordedSubagentRequest_IsTheApprovedText()
    {
        var recording = Path.Combine(AppContext.BaseDirectory, "Fixtures", "requests", "subagent.json");

        var explained = await _cli.RunAsync("route", "--explain", recording);

        explained.ExitCode.ShouldBe(0, explained.ToString());
        Approvals.Verify("route-explain.subagent", Scrub(explained.Stdout));
    }

    [Fact]
    public async Task Usage_OfAFewSessions_IsTheApprovedText()
    {
        SampleLedger.Write(_home);

        var byProvider = await _cli.RunAsync("usage");
        var bySession = await _cli.RunAsync("usage", "--period", "today", "--by", "session");

        byProvider.ExitCode.ShouldBe(0, byProvider.ToString());
        bySession.ExitCode.ShouldBe(0, bySession.ToString());
        Approvals.Verify("usage.by-provider", byProvider.Stdout);
        Approvals.Verify("usage.today-by-session", bySession.Stdout);
    }

    [Fact]
    public async Task Code_WiringSummary_IsTheApprovedText()
    {
        var path = await FakeClaude.WriteAsync(Bin, "echo claude-ran");

        var code = await _cli.RunAsync(["code", "-p", "hi"], path: path, environment: _home.FreshClaudeUser(("ANTHROPIC_API_KEY", "sk-ant-api03-test")));

        code.ExitCode.ShouldBe(0, code.ToString());
        code.Stdout.ShouldBe("claude-ran\n");
        Approvals.Verify("code.wiring-summary", Scrub(code.Stderr));
    }

    [Fact]
    public async Task Code_NoLogin_FirstRunAdviceIsTheApprovedText()
    {
        var path = await FakeClaude.WriteAsync(Bin, "echo claude-ran");

        var code = await _cli.RunAsync(["code", "-p", "hi"], path: path, environment: _home.FreshClaudeUser());

        code.ExitCode.ShouldBe(2, code.ToString());
        code.Stdout.ShouldNotContain("claude-ran");
        Approvals.Verify("code.first-run-advice", Scrub(code.Stderr));
    }

    private string Bin => Path.Combine(_home.Folder, "bin");

    /// <summary>What differs from run to run: the test's folder, its port, the daemon's pid and uptime.</summary>
    private string Scrub(string text)
    {
        text = text.Replace(_home.Folder, "{home}").Replace($":{_port}", ":{port}").Replace($"port {_port}", "port {port}");
        text = PidPattern().Replace(text, "pid {pid}");
        return UptimePattern().Replace(text, "up {uptime}");
    }

    /// <summary>The names in the <c>Commands:</c> section of System.CommandLine's help.</summary>
    private static IEnumerable<string> Subcommands(string help) =>
        help.ReplaceLineEndings("\n").Split("\n\n")
            .Where(section => section.StartsWith("Commands:", StringComparison.Ordinal))
            .SelectMany(section => section.Split('\n').Skip(1))
            .Select(line => line.Trim().Split(' ')[0])
            .Where(name => name.Length > 0);

    [GeneratedRegex(@"pid \d+")]
    private static partial Regex PidPattern();

    [GeneratedRegex(@"up \d\d:\d\d:\d\d")]
    private static partial Regex UptimePattern();
}
