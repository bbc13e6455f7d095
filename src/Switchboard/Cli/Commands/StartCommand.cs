using System.CommandLine;
using Spectre.Console;
using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard start</c>: run the router in the background and say what it wired up.</summary>
internal static class StartCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "Port for this daemon (the config's port otherwise)." };
        var command = new Command("start", "Start the router in the background.") { port };
        command.SetAction(async (result, cancellationToken) =>
            await RunAsync(SwitchboardHome.FromEnvironment(), result.GetValue(port), CliConsole.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(SwitchboardHome home, int? port, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (daemon, exitCode) = await DaemonLauncher.EnsureRunningAsync(home, port, console, cancellationToken);
        if (daemon is null) return exitCode;
        if (daemon.WasRunning)
            console.MarkupLineInterpolated($"[yellow]switchboard is already running[/] on {daemon.Health.Url} (pid {daemon.Pid}).");
        else
            Describe(console, daemon.Pid, daemon.Health, home);
        return 0;
    }

    /// <summary>What the daemon wired up, like <c>oc start</c> prints it.</summary>
    public static void Describe(IAnsiConsole console, int pid, HealthReport health, SwitchboardHome home)
    {
        console.MarkupLineInterpolated($"[green]switchboard {health.Version}[/] router on [bold]{health.Url}[/] (pid {pid})");
        console.MarkupLineInterpolated($"  config: {health.Config.File ?? home.ConfigFile}");
        console.MarkupLineInterpolated($"  log:    {home.LogFile}");
        foreach (var provider in health.Providers ?? [])
            console.MarkupLineInterpolated($"  provider [bold]{provider.Name}[/] ({provider.Type}) -> {Secrets.MaskUrl(provider.BaseUrl) ?? "default URL"}");
        console.MarkupLineInterpolated($"  use it: ANTHROPIC_BASE_URL={health.Url} claude   (or: switchboard code)");
    }
}
