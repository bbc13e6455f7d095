using System.CommandLine;
using Spectre.Console;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard init</c>: write the default config; never over an existing one.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var command = new Command("init", "Write the default config file (refuses to overwrite one).");
        command.SetAction(_ =>
        {
            var home = SwitchboardHome.FromEnvironment();
            if (!ConfigFile.CreateIfMissing(home))
            {
                CliConsole.Out.MarkupLineInterpolated($"[red]switchboard: a config already exists at {home.ConfigFile}[/]; edit it, or delete it to start over.");
                return 1;
            }
            CliConsole.Out.MarkupLineInterpolated($"Wrote the default config to [bold]{home.ConfigFile}[/] (schema beside it).");
            return 0;
        });
        return command;
    }
}
