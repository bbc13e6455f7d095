using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Switchboard.Cli.Service;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard service install|uninstall</c>: run the router at login as a systemd user unit (Linux) or a launchd
/// agent (macOS), serving <c>$SWITCHBOARD_HOME</c>. When the service manager is missing or refuses, the file is still
/// written (or removed) and the command says exactly what to run, exiting with <see cref="NotActivated"/>.
/// </summary>
internal static class ServiceCommand
{
    /// <summary>The file was written or removed, but the service manager did not (or could not) act on it.</summary>
    public const int NotActivated = 3;

    public static Command Create()
    {
        var install = new Command("install", "Write and enable a user service that runs the router at login.");
        install.SetAction(_ => Run(install: true, CliConsole.Out));
        var uninstall = new Command("uninstall", "Stop, disable and remove the user service.");
        uninstall.SetAction(_ => Run(install: false, CliConsole.Out));
        return new Command("service", "Run the router as a systemd user unit (Linux) or launchd agent (macOS).") { install, uninstall };
    }

    /// <summary>Which service manager a machine has; tests drive each one on any machine.</summary>
    internal enum Manager { Systemd, Launchd, None }

    /// <summary>What a service run needs from the machine: the home it serves, the environment (HOME, XDG_CONFIG_HOME,
    /// PATH for systemctl/launchctl) and the command the service starts.</summary>
    internal sealed record Machine(Manager Manager, SwitchboardHome Home, Func<string, string?> Env, IReadOnlyList<string> ServeCommand)
    {
        public static Machine This() => new(
            OperatingSystem.IsLinux() ? Manager.Systemd : OperatingSystem.IsMacOS() ? Manager.Launchd : Manager.None,
            SwitchboardHome.FromEnvironment(), Environment.GetEnvironmentVariable, ServiceUnit.ServeCommand());

        public string? FindTool(string name) => CodeCommand.FindOnPath([name], Env("PATH"));
    }

    private static int Run(bool install, IAnsiConsole console) => Run(install, Machine.This(), console);

    internal static int Run(bool install, Machine machine, IAnsiConsole console)
    {
        switch (machine.Manager)
        {
            case Manager.Systemd: return Systemd(install, machine, console);
            case Manager.Launchd: return Launchd(install, machine, console);
            default:
                console.MarkupLine("[red]switchboard: `service` knows systemd (Linux) and launchd (macOS).[/] On Windows, " +
                                   "create a Task Scheduler task at logon that runs: [bold]switchboard serve[/]");
                return 2;
        }
    }

    private static int Systemd(bool install, Machine machine, IAnsiConsole console)
    {
        var home = machine.Home;
        var unit = ServiceUnit.SystemdPath(machine.Env);
        string[][] steps = install
            ? [["--user", "daemon-reload"], ["--user", "enable", "--now", ServiceUnit.SystemdName]]
            : [["--user", "disable", "--now", ServiceUnit.SystemdName], ["--user", "daemon-reload"]];
        if (install)
        {
            ConfigFile.CreateIfMissing(home);
            Directory.CreateDirectory(Path.GetDirectoryName(unit)!);
            File.WriteAllText(unit, ServiceUnit.Systemd(machine.ServeCommand, home));
            console.MarkupLineInterpolated($"wrote {unit} (SWITCHBOARD_HOME={home.Folder})");
            WarnIfDaemonRunning(home, console);
        }
        else if (!File.Exists(unit))
        {
            console.MarkupLineInterpolated($"no service installed ({unit} does not exist)");
            return 0;
        }

        var manual = string.Join(" && ", steps.Select(step => "systemctl " + string.Join(' ', step)));
        var systemctl = machine.FindTool("systemctl");
        var ok = systemctl is not null;
        if (systemctl is null)
            console.MarkupLine("[yellow]systemd's systemctl was not found on PATH, so the service was not " + (install ? "enabled" : "stopped") + ".[/]");
        // Uninstall stops the unit before its file goes; install enables it after the file is there.
        for (var i = 0; ok && i < steps.Length; i++) ok = RunStep(systemctl!, steps[i], console);
        if (!install) File.Delete(unit);
        if (!install) console.MarkupLineInterpolated($"removed {unit}");

        if (ok)
        {
            console.MarkupLine(install
                ? $"[green]enabled and started[/] {ServiceUnit.SystemdName}; see it with: systemctl --user status {ServiceUnit.SystemdName}"
                : $"[green]stopped and disabled[/] {ServiceUnit.SystemdName}");
            return 0;
        }
        console.MarkupLineInterpolated($"To finish, run: [bold]{manual}[/]");
        if (install) console.MarkupLine("Without systemd, run the router with: [bold]switchboard start[/]");
        return NotActivated;
    }

    private static int Launchd(bool install, Machine machine, IAnsiConsole console)
    {
        var home = machine.Home;
        var agent = ServiceUnit.LaunchdPath(machine.Env);
        var reinstall = install && File.Exists(agent);
        if (install)
        {
            ConfigFile.CreateIfMissing(home);
            Directory.CreateDirectory(Path.GetDirectoryName(agent)!);
            File.WriteAllText(agent, ServiceUnit.Launchd(machine.ServeCommand, home));
            console.MarkupLineInterpolated($"wrote {agent} (SWITCHBOARD_HOME={home.Folder})");
            WarnIfDaemonRunning(home, console);
        }
        else if (!File.Exists(agent))
        {
            console.MarkupLineInterpolated($"no service installed ({agent} does not exist)");
            return 0;
        }
        string[] step = [install ? "load" : "unload", "-w", agent];
        var launchctl = machine.FindTool("launchctl");
        // launchd keeps a loaded agent's old definition and refuses to load it twice: unload it first (it may not be loaded).
        if (reinstall && launchctl is not null) RunStep(launchctl, ["unload", "-w", agent], console, quiet: true);
        var ok = launchctl is not null && RunStep(launchctl, step, console);
        if (!install)
        {
            File.Delete(agent);
            console.MarkupLineInterpolated($"removed {agent}");
        }
        if (ok)
        {
            console.MarkupLine(install ? $"[green]loaded[/] {ServiceUnit.LaunchdLabel}" : $"[green]unloaded[/] {ServiceUnit.LaunchdLabel}");
            return 0;
        }
        console.MarkupLineInterpolated($"To finish, run: [bold]launchctl {string.Join(' ', step)}[/]");
        return NotActivated;
    }

    private static bool RunStep(string tool, string[] args, IAnsiConsole console, bool quiet = false)
    {
        var info = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode == 0) return true;
        if (quiet) return false;
        console.MarkupLineInterpolated($"[red]`{Path.GetFileName(tool)} {string.Join(' ', args)}` failed (exit {process.ExitCode}):[/] {(error + output.Result).Trim()}");
        return false;
    }

    private static void WarnIfDaemonRunning(SwitchboardHome home, IAnsiConsole console)
    {
        if (new DaemonClient(home).Running() is { } daemon)
            console.MarkupLineInterpolated($"[yellow]note: a router started by `switchboard start` is running (pid {daemon.Pid}) on the same port; stop it with `switchboard stop` so the service can bind.[/]");
    }
}
