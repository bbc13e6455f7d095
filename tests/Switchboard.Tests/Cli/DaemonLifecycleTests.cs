using System.Net;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>start</c>, <c>status</c>, <c>stop</c> and <c>init</c>, run as the real executable.</summary>
public sealed class DaemonLifecycleTests : IAsyncLifetime
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private ScriptedUpstream _upstream = null!;
    private int _port;

    public DaemonLifecycleTests() => _cli = new CliRunner(_home);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "via daemon")));
        _port = TestPorts.Free();
        _home.WriteConfig(RunningSwitchboard.AnthropicConfig(_upstream.BaseUrl, extraTopLevel: $"\"port\": {_port},"));
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        await _upstream.DisposeAsync();
        _home.Dispose();
    }

    [Fact]
    public async Task StartStatusStop_FullLifecycle_ServesThenStopsCleanly()
    {
        // When the daemon is started
        var start = await _cli.RunAsync("start");

        // Then it says what it wired up, and serves requests
        start.ExitCode.ShouldBe(0, start.ToString());
        start.Stdout.ShouldContain($"http://127.0.0.1:{_port}");
        start.Stdout.ShouldContain($"provider anthropic (anthropic) -> {_upstream.BaseUrl}");
        File.Exists(_home.Home.PidFile).ShouldBeTrue();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        using (var response = await http.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel))
            (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("via daemon");

        // And status reports it running, with a valid config and its providers
        var status = await _cli.RunAsync("status");
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("running");
        status.Stdout.ShouldContain("(valid)");
        status.Stdout.ShouldContain(_upstream.BaseUrl);

        // When it is stopped
        var stop = await _cli.RunAsync("stop");

        // Then it is gone: status says stopped (exit 3), no pid file, nothing listening
        stop.ExitCode.ShouldBe(0, stop.ToString());
        var after = await _cli.RunAsync("status");
        after.ExitCode.ShouldBe(3, after.ToString());
        after.Stdout.ShouldContain("stopped");
        File.Exists(_home.Home.PidFile).ShouldBeFalse();
        await Should.ThrowAsync<HttpRequestException>(() => http.GetAsync("/health", Cancel));
    }

    [Fact]
    public async Task Start_DaemonLeavesTheTerminalsSession_SoHangupAndCtrlCInItDoNotReachIt()
    {
        // The daemon calls setsid(2) itself (no `setsid` program, which macOS lacks): it leads a new session and
        // process group, so the terminal's SIGHUP and the foreground group's SIGINT go elsewhere.
        (await _cli.RunAsync("start")).ExitCode.ShouldBe(0);
        var pid = int.Parse(File.ReadLines(_home.Home.PidFile).First());

        var (group, session) = ProcessGroupAndSession(pid);
        var (_, ourSession) = ProcessGroupAndSession(Environment.ProcessId);

        group.ShouldBe(pid);
        session.ShouldBe(pid);
        session.ShouldNotBe(ourSession);
    }

    [Fact]
    public async Task Start_DaemonWatchesNoFolders_SoFilesWrittenWhereItWasStartedNeverWakeIt()
    {
        // ASP.NET's default config source watches the working folder recursively; started in ~ that is every folder
        // of the home directory. The daemon reads its own config by stat, and must hold no inotify watch at all.
        (await _cli.RunAsync("start")).ExitCode.ShouldBe(0);
        var pid = int.Parse(File.ReadLines(_home.Home.PidFile).First());

        var watches = Directory.GetFiles($"/proc/{pid}/fdinfo")
            .SelectMany(File.ReadLines)
            .Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));

        watches.ShouldBe(0);
    }

    /// <summary>Fields 5 and 6 of <c>/proc/PID/stat</c> (after the parenthesised command name).</summary>
    private static (int Group, int Session) ProcessGroupAndSession(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[2]), int.Parse(fields[3]));
    }

    [Fact]
    public async Task Start_WhenAlreadyRunning_SaysSoAndSucceeds()
    {
        (await _cli.RunAsync("start")).ExitCode.ShouldBe(0);

        var again = await _cli.RunAsync("start");

        again.ExitCode.ShouldBe(0, again.ToString());
        again.Stdout.ShouldContain("already running");
    }

    [Fact]
    public async Task Start_WithBrokenConfig_FailsNamingTheProblem()
    {
        _home.WriteConfig("""{"port": 1, "providers": {"anthropic": {"type": "anthropic"}}, "defaultProvider": "missing"}""");

        var start = await _cli.RunAsync("start");

        start.ExitCode.ShouldNotBe(0);
        start.Stdout.ShouldContain("$.defaultProvider: 'missing' is not a configured provider");
        File.Exists(_home.Home.PidFile).ShouldBeFalse();
    }

    [Fact]
    public async Task Restart_WithBrokenConfig_LeavesTheRunningRouterServingAndNamesTheProblem()
    {
        // Given a healthy daemon
        (await _cli.RunAsync("start")).ExitCode.ShouldBe(0);
        var pid = int.Parse(File.ReadLines(_home.Home.PidFile).First());

        // When its file is broken and it is restarted
        _home.WriteConfig($$$"""{"port": {{{_port}}}, "providers": {"anthropic": {"type": "anthropic"}}, "defaultProvider": "missing"}""");
        var restart = await _cli.RunAsync("restart");

        // Then the restart is refused with the problem and its path, and the same process still answers
        restart.ExitCode.ShouldBe(2, restart.ToString());
        restart.Stdout.ShouldContain("$.defaultProvider");
        restart.Stdout.ShouldContain($"the running router (pid {pid}) was left alone");
        restart.Stdout.ShouldNotContain("stopped");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
        using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/health", Cancel));
        health.RootElement.GetProperty("pid").GetInt32().ShouldBe(pid);

        // And status says the running router keeps its last good config
        var status = await _cli.RunAsync("status");
        status.Stdout.ShouldContain("running");
        status.Stdout.ShouldContain("the last good config keeps serving");
    }

    [Fact]
    public async Task Status_StoppedWithBrokenConfig_ShowsTheProblemAndThatNothingServes()
    {
        _home.WriteConfig("""{"providers": {"anthropic": {"type": "anthropic", "relay": "smoke-signals"}}}""");

        var status = await _cli.RunAsync("status");

        status.ExitCode.ShouldBe(3);
        status.Stdout.ShouldContain("stopped");
        status.Stdout.ShouldContain("not valid; nothing is running");
        status.Stdout.ShouldNotContain("keeps serving");
        status.Stdout.ShouldContain("$.providers.anthropic.relay: 'smoke-signals' is not a relay mode");
    }

    [Fact]
    public async Task Stop_WhenNotRunning_IsANoOp()
    {
        var stop = await _cli.RunAsync("stop");

        stop.ExitCode.ShouldBe(0);
        stop.Stdout.ShouldContain("not running");
    }

    [Fact]
    public async Task Init_FreshHome_WritesDefaultsThenRefusesToOverwrite()
    {
        using var fresh = new TempHome();
        var cli = new CliRunner(fresh);

        var first = await cli.RunAsync("init");
        var written = await File.ReadAllBytesAsync(fresh.Home.ConfigFile, Cancel);
        var second = await cli.RunAsync("init");

        first.ExitCode.ShouldBe(0, first.ToString());
        Switchboard.Config.ConfigFile.DefaultJson.ShouldBe(System.Text.Encoding.UTF8.GetString(written));
        second.ExitCode.ShouldBe(1);
        second.Stdout.ShouldContain($"a config already exists at {fresh.Home.ConfigFile}");
        (await File.ReadAllBytesAsync(fresh.Home.ConfigFile, Cancel)).ShouldBe(written);
    }

    [Fact]
    public async Task Help_ListsEveryCommand()
    {
        var help = await _cli.RunAsync("--help");

        help.ExitCode.ShouldBe(0);
        foreach (var command in new[] { "code", "serve", "start", "stop", "restart", "status", "activate", "init", "list" })
            help.Stdout.ShouldContain($"  {command}");
    }
}
