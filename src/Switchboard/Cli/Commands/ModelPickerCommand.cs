using System.CommandLine;
using Spectre.Console;
using Switchboard.Cli.Editing;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard model</c>: an interactive picker that binds each duty route and each Claude Code picker slot to a
/// provider and model, then writes the config once, checked (see <see cref="ConfigEditor"/>).
/// </summary>
internal static class ModelPickerCommand
{
    private const string Done = "Save and exit";
    private const string Unset = "(unset: use the default)";

    /// <summary>What can be bound, and where in the config it lives.</summary>
    private static readonly (string Label, string[] Path)[] Bindings =
    [
        .. Duties.All.Select(duty => ($"route {duty}", new[] { "routes", duty })),
        ("slot Custom", ["claudeCode", "slots", "custom"]),
        ("slot Sonnet", ["claudeCode", "slots", "sonnet"]),
        ("slot Opus", ["claudeCode", "slots", "opus"]),
        ("slot Haiku (Claude Code's classifier, titles, summaries)", ["claudeCode", "internalClassifierModel"]),
        ("subagents", ["subagentModel"]),
    ];

    public static Command Create()
    {
        var command = new Command("model", "Pick, interactively, the model for each duty and each Claude Code picker slot.");
        command.SetAction(async (_, cancellationToken) => await RunAsync(SwitchboardHome.FromEnvironment(), CliConsole.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(SwitchboardHome home, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            console.MarkupLine("[red]switchboard: `model` needs a terminal; use model-subagent, internal-classifier or edit config.json.[/]");
            return 2;
        }
        if (ConfigEditor.OpenOrSay(home, console) is not { } editor) return 2;
        var config = ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry).Config;
        if (config is null)
        {
            console.MarkupLine("[red]switchboard: the config is not valid; fix it first (switchboard status shows why).[/]");
            return 2;
        }
        var choices = await ModelChoices.ListAsync(config, cancellationToken);
        var changed = new List<string>();
        while (true)
        {
            var what = await new SelectionPrompt<string>()
                .Title("What do you want to bind?")
                .PageSize(20)
                .AddChoices([.. Bindings.Select(b => $"{b.Label} [grey]= {Markup.Escape(editor.Get(b.Path) ?? "default")}[/]"), Done])
                .ShowAsync(console, cancellationToken);
            if (what == Done) break;
            var binding = Bindings.First(b => what.StartsWith(b.Label + " [grey]", StringComparison.Ordinal));
            var model = await new SelectionPrompt<string>()
                .Title($"Model for [bold]{Markup.Escape(binding.Label)}[/]:")
                .PageSize(20)
                .AddChoices([Unset, .. choices.Select(c => $"{Markup.Escape(c.Target)} [grey]({Markup.Escape(c.Source)})[/]")])
                .ShowAsync(console, cancellationToken);
            var target = model == Unset ? null : choices.First(c => model.StartsWith(Markup.Escape(c.Target) + " [grey]", StringComparison.Ordinal)).Target;
            editor.Set(binding.Path, target);
            changed.Add($"{string.Join('.', binding.Path)} = {target ?? "default"}");
        }
        if (changed.Count == 0)
        {
            console.MarkupLine("Nothing changed.");
            return 0;
        }
        var errors = editor.Save();
        if (errors.Count > 0)
        {
            console.MarkupLine("[red]switchboard: not written; the result would not load:[/]");
            foreach (var error in errors) console.WriteLine("  " + error);
            return 2;
        }
        foreach (var line in changed) console.MarkupLineInterpolated($"[green]{line}[/]");
        console.MarkupLine("Routes apply at once (the router reloads the file); slots and subagents at the next [bold]switchboard code[/].");
        return 0;
    }
}
