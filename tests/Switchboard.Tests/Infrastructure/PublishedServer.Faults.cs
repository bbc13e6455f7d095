using System.Globalization;
using System.Diagnostics;

namespace Switchboard.Tests.Infrastructure;

/// <summary>The ways a replica dies in production, for the tests that kill one: SIGKILL, SIGTERM, and starting it again.</summary>
public sealed partial class PublishedServer
{
    /// <summary>SIGKILL: the process gets no chance to finish anything; returns once it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>SIGTERM, as systemd or a container runtime stops a service; returns once the process has exited.</summary>
    public async Task TerminateAsync(TimeSpan within)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(within);
        await _process.WaitForExitAsync(limit.Token);
    }

    /// <summary>Starts the replica again after it died: the same binary, port, home folder (its files kept) and environment.</summary>
    public async Task StartAgainAsync()
    {
        if (!_process.HasExited) throw new InvalidOperationException("the server is still running; kill it first");
        _process.Dispose();
        await LaunchAsync();
    }
}
