using System.CommandLine;
using Switchboard.Cli.Commands;
using Switchboard.Cli.Commands.Team;

namespace Switchboard.Cli;

/// <summary>The command tree. Each command is one small class; options are declared once, in it.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Switchboard: a local model router for Claude Code.")
        {
            CodeCommand.Create(),
            ServeCommand.Create(),
            StartCommand.Create(),
            StopCommand.Create(),
            RestartCommand.Create(),
            StatusCommand.Create(),
            ActivateCommand.Create(),
            InitCommand.Create(),
            ListCommand.Create(),
            RouteCommand.Create(),
            ModelPickerCommand.Create(),
            ModelSettingCommand.Subagent.Create(),
            ModelSettingCommand.InternalClassifier.Create(),
            ModelSettingCommand.Default.Create(),
            ServiceCommand.Create(),
            ImportCommand.Create(),
            PresetCommand.Create(),
            StatuslineCommand.Create(),
            UsageCommand.Create(),
            TeamCommand.Create(),
            UiCommand.Create(),
            LoginCommand.Create(),
            LoginCommand.CreateLogout(),
        };
        // Everything after `code` and its own options belongs to Claude Code, flags included, so it bypasses our parser
        // (which still writes `code --help`).
        if (args.Length > 0 && args[0] == "code") return await CodeCommand.RunAsync(args[1..], root);
        return await root.Parse(args).InvokeAsync();
    }
}
