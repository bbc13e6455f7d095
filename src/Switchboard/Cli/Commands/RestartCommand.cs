using System.CommandLine;
using Spectre.Console;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard restart</c>: stop, then start (to pick up a new host or port).</summary>
internal static class RestartCommand
{
    public static Command Create()
    {
        var port = new Option<int?>("--port") { Description = "Port for the new daemon (the config's port otherwise)." };
        var command = new Command("restart", "Restart the background router; a config that does not load leaves it running.") { port };
        command.SetAction(async (result, cancellationToken) =>
        {
            var home = SwitchboardHome.FromEnvironment();
            // Stopping first would trade a healthy router for none: the new one would refuse the file.
            var consequence = new DaemonClient(home).Running() is { } running
                ? $"the running router (pid {running.Pid}) was left alone; fix the file, then run `switchboard restart` again"
                : "the router was not started";
            if (DaemonLauncher.RefusesConfig(home, CliConsole.Out, consequence)) return DaemonLauncher.ConfigNotValid;

            var stopped = await StopCommand.RunAsync(home, CliConsole.Out);
            if (stopped != 0) return stopped;
            return await StartCommand.RunAsync(home, result.GetValue(port), CliConsole.Out, cancellationToken);
        });
        return command;
    }
}
