using System.Net;
using System.Net.Sockets;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// <c>serve</c> and <c>start</c> on a port something else holds, run as the real executable: one line that names the
/// port and its holder (this test process, or another Switchboard), no Kestrel stack trace, a non-zero exit.
/// </summary>
public sealed class PortInUseTests : IAsyncLifetime
{
    // An upstream nobody calls: the router never gets as far as serving.
    private const string Upstream = "http://127.0.0.1:9";

    private readonly TempHome _home = new();
    private readonly TempHome _otherHome = new();
    private readonly CliRunner _cli;
    private readonly CliRunner _other;

    public PortInUseTests()
    {
        _cli = new CliRunner(_home);
        _other = new CliRunner(_otherHome);
        _home.WriteConfig(RunningSwitchboard.AnthropicConfig(Upstream));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        await _other.StopDaemonAsync();
        _home.Dispose();
        _otherHome.Dispose();
    }

    private static (TcpListener Listener, int Port) HoldAPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return (listener, ((IPEndPoint)listener.LocalEndpoint).Port);
    }

    private static void ShouldHaveNoStackTrace(ChildProcess.Result result)
    {
        (result.Stdout + result.Stderr).ShouldNotContain("   at ", customMessage: result.ToString());
        (result.Stdout + result.Stderr).ShouldNotContain("Exception", customMessage: result.ToString());
    }

    [Fact]
    public async Task Serve_PortHeldByAnotherProcess_SaysInOneLineWhichProcessHoldsIt()
    {
        // Given this test process listening on a port
        var (listener, port) = HoldAPort();
        using var _ = listener;

        // When the router is served on it
        var serve = await _cli.RunAsync("serve", "--port", port.ToString());

        // Then it stops with one line naming the port and this process, and no stack trace
        serve.ExitCode.ShouldBe(1, serve.ToString());
        var lines = (serve.Stdout + serve.Stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, serve.ToString());
        lines[0].ShouldContain($"cannot listen on 127.0.0.1:{port}: the port is in use by process {Environment.ProcessId} (");
        ShouldHaveNoStackTrace(serve);
    }

    [Fact]
    public async Task Serve_PortHeldByAnotherSwitchboard_SaysItIsSwitchboardWithItsPidAndHome()
    {
        // Given another Switchboard, from another home, serving on a port
        var port = TestPorts.Free();
        _otherHome.WriteConfig(RunningSwitchboard.AnthropicConfig(Upstream, extraTopLevel: $"\"port\": {port},"));
        var started = await _other.RunAsync("start");
        started.ExitCode.ShouldBe(0, started.ToString());
        var pid = int.Parse(File.ReadLines(_otherHome.Home.PidFile).First());

        // When this home's router is served on the same port
        var serve = await _cli.RunAsync("serve", "--port", port.ToString());

        // Then it says which Switchboard holds it and how to stop that one
        serve.ExitCode.ShouldBe(1, serve.ToString());
        serve.Stderr.ShouldContain($"the port is in use by another Switchboard (pid {pid}, http://127.0.0.1:{port}, home {_otherHome.Folder}");
        serve.Stderr.ShouldContain($"`SWITCHBOARD_HOME={_otherHome.Folder} switchboard stop`");
        ShouldHaveNoStackTrace(serve);
    }

    [Fact]
    public async Task Serve_PortHeldByALockedSwitchboard_StillNamesItsPidAndUrl()
    {
        // Given another Switchboard whose apiKey this home does not know: its /health keeps its config file to itself
        var port = TestPorts.Free();
        _otherHome.WriteConfig(RunningSwitchboard.AnthropicConfig(Upstream, extraTopLevel: $"\"port\": {port}, \"apiKey\": \"other-door\","));
        (await _other.RunAsync("start")).ExitCode.ShouldBe(0);
        var pid = int.Parse(File.ReadLines(_otherHome.Home.PidFile).First());

        var serve = await _cli.RunAsync("serve", "--port", port.ToString());

        serve.ExitCode.ShouldBe(1, serve.ToString());
        serve.Stderr.ShouldContain($"the port is in use by another Switchboard (pid {pid}, http://127.0.0.1:{port}).");
        serve.Stderr.ShouldNotContain(_otherHome.Folder);
        ShouldHaveNoStackTrace(serve);
    }

    [Fact]
    public async Task Start_PortHeldByAnotherProcess_ReportsTheHolderFromTheDaemonsLog()
    {
        var (listener, port) = HoldAPort();
        using var _ = listener;

        var start = await _cli.RunAsync("start", "--port", port.ToString());

        start.ExitCode.ShouldNotBe(0, start.ToString());
        start.Stdout.ShouldContain("the router did not start");
        start.Stdout.ShouldContain($"the port is in use by process {Environment.ProcessId} (");
        ShouldHaveNoStackTrace(start);
        File.Exists(_home.Home.PidFile).ShouldBeFalse();
    }
}
