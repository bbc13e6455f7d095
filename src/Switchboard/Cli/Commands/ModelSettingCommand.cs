using System.CommandLine;
using Spectre.Console;
using Switchboard.Cli.Editing;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard model-subagent [N|provider:model|default]</c> and the same for <c>internal-classifier</c> and
/// <c>model-default</c> (the default route): without an
/// argument, show the setting and a numbered menu; with a number or a <c>provider:model</c> name (which does not shift
/// as models are installed), write that model to the config; with <c>0</c> or <c>default</c>, remove the setting. Claude Code reads these once at start: they apply at the next
/// <c>switchboard code</c>.
/// </summary>
internal sealed class ModelSettingCommand
{
    private readonly string _name;
    private readonly string _what;
    private readonly string _defaultMeaning;
    private readonly string[] _path;

    private ModelSettingCommand(string name, string what, string defaultMeaning, string[] path)
    {
        _name = name;
        _what = what;
        _defaultMeaning = defaultMeaning;
        _path = path;
    }

    public static readonly ModelSettingCommand Subagent = new("model-subagent", "the model Claude Code's subagents (Explore, Plan, general-purpose) use",
        "Claude Code's own choice", ["subagentModel"]);

    public static readonly ModelSettingCommand InternalClassifier = new("internal-classifier",
        "the model behind Claude Code's Haiku slot: its safety classifier, titles and summaries",
        "Anthropic's Haiku (recommended: a local model here can make Bash and other tools fail)", ["claudeCode", "internalClassifierModel"]);

    public static readonly ModelSettingCommand Default = new("model-default",
        "the default route: where Claude Code's requests go when no duty route or rule claims them",
        "defaultProvider, with the model Claude Code asks for", ["routes", "default"]);

    public string ConfigKey => string.Join('.', _path);

    public Command Create()
    {
        var choice = new Argument<string?>("choice") { Description = "A number from the menu, a provider:model name, or 0/default to reset.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(_name, $"Show or set {_what}.") { choice };
        command.SetAction(async (result, cancellationToken) =>
            await RunAsync(SwitchboardHome.FromEnvironment(), result.GetValue(choice), CliConsole.Out, cancellationToken));
        return command;
    }

    public async Task<int> RunAsync(SwitchboardHome home, string? choice, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (ConfigEditor.OpenOrSay(home, console) is not { } editor) return 2;
        var (config, problems) = ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry);
        if (config is null)
        {
            console.MarkupLine("[red]switchboard: the config is not valid; fix it first:[/]");
            foreach (var problem in problems) console.WriteLine("  " + problem);
            return 2;
        }

        var current = editor.Get(_path);
        var choices = await ModelChoices.ListAsync(config, cancellationToken);
        if (choice is null)
        {
            ShowMenu(console, current, choices);
            return 0;
        }

        string? target;
        if (choice is "0" or "default") target = null;
        else if (int.TryParse(choice, out var number))
        {
            if (number < 1 || number > choices.Count)
            {
                console.MarkupLineInterpolated($"[red]switchboard: '{choice}' is not on the menu; pick 0 (default) to {choices.Count}.[/]");
                ShowMenu(console, current, choices);
                return 2;
            }
            target = choices[number - 1].Target;
        }
        else if (NameProblem(choice, config, choices) is { } problem)
        {
            console.MarkupLineInterpolated($"[red]switchboard: {problem}[/]");
            return 2;
        }
        else target = choice;

        editor.Set(_path, target);
        var errors = editor.Save();
        if (errors.Count > 0)
        {
            console.MarkupLine("[red]switchboard: not written; the result would not load:[/]");
            foreach (var error in errors) console.WriteLine("  " + error);
            return 2;
        }
        console.MarkupLineInterpolated($"{ConfigKey} = [bold]{target ?? "default"}[/] ({(target is null ? _defaultMeaning : "written")}) in {home.ConfigFile}");
        if (editor.HadComments) console.MarkupLine("[yellow]note: the comments in config.json were not kept.[/]");
        console.MarkupLine(_path[0] == "routes"
            ? "Routes apply at once (the router reloads the file)."
            : "Takes effect at the next [bold]switchboard code[/] (Claude Code reads it once, at start).");
        return 0;
    }

    private void ShowMenu(IAnsiConsole console, string? current, IReadOnlyList<ModelChoices.Choice> choices)
    {
        console.MarkupLineInterpolated($"{_name}: {_what}");
        console.MarkupLineInterpolated($"configured: [bold]{current ?? "default"}[/]");
        var active = ActiveValue();
        if (active is not null) console.MarkupLineInterpolated($"active in this Claude Code session: [bold]{active}[/]");
        console.WriteLine();
        console.MarkupLineInterpolated($"  0  default: {_defaultMeaning}");
        for (var i = 0; i < choices.Count; i++)
            console.MarkupLineInterpolated($"{i + 1,3}  {choices[i].Target}  [grey]({choices[i].Source})[/]");
        console.WriteLine();
        console.MarkupLineInterpolated($"Pick one with: switchboard {_name} N (or a provider:model name)");
    }

    /// <summary>Why <paramref name="name"/> cannot be written, or null when it is <c>provider:model</c> with a configured provider.</summary>
    private static string? NameProblem(string name, SwitchboardConfig config, IReadOnlyList<ModelChoices.Choice> choices)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon < name.Length - 1 && config.Providers.ContainsKey(name[..colon])) return null;
        var known = string.Join(", ", config.Providers.Keys.Order(StringComparer.Ordinal));
        var meant = choices.Where(c => c.Target.EndsWith(":" + name, StringComparison.Ordinal)).Select(c => c.Target).ToList();
        var hint = meant.Count > 0 ? $"did you mean {string.Join(" or ", meant)}? " : "";
        return $"'{name}' is not provider:model with a configured provider; {hint}known providers: {known}. Nothing was written.";
    }

    /// <summary>What Claude Code got at start, when this runs inside a session (from its Bash tool, say).</summary>
    private string? ActiveValue() => _path[^1] switch
    {
        "subagentModel" => Environment.GetEnvironmentVariable("CLAUDE_CODE_SUBAGENT_MODEL"),
        "internalClassifierModel" => Environment.GetEnvironmentVariable("ANTHROPIC_DEFAULT_HAIKU_MODEL"),
        _ => null,
    };
}
