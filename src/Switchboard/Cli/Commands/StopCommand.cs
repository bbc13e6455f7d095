using System.CommandLine;
using Spectre.Console;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard stop</c>: ask the daemon to finish (SIGTERM), force it after a grace period.</summary>
internal static class StopCommand
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var command = new Command("stop", "Stop the background router.");
        command.SetAction(async _ => await RunAsync(SwitchboardHome.FromEnvironment(), CliConsole.Out));
        return command;
    }

    public static async Task<int> RunAsync(SwitchboardHome home, IAnsiConsole console)
    {
        var daemon = new DaemonClient(home);
        if (daemon.Running() is not { } running)
        {
            daemon.ForgetStale();
            console.MarkupLine("switchboard is not running.");
            return 0;
        }

        ProcessProbe.RequestStop(running.Pid);
        if (!await ProcessProbe.WaitForExitAsync(running.Pid, Grace))
        {
            console.MarkupLineInterpolated($"[yellow]switchboard (pid {running.Pid}) did not stop within {Grace.TotalSeconds:0} s; killing it.[/]");
            ProcessProbe.Kill(running.Pid);
            if (!await ProcessProbe.WaitForExitAsync(running.Pid, Grace))
            {
                console.MarkupLineInterpolated($"[red]switchboard: could not stop pid {running.Pid}.[/]");
                return 1;
            }
        }
        daemon.ForgetStale();
        console.MarkupLineInterpolated($"switchboard stopped (pid {running.Pid}).");
        return 0;
    }
}
