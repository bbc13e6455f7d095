using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Switchboard.Cli.Editing;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard preset export NAME | install FILE|NAME | list</c> (as in claude-code-router): whole configs saved under
/// <c>presets/</c> in the home folder, with every secret replaced by a <c>$VAR</c> reference so they can be shared.
/// </summary>
internal static class PresetCommand
{
    public static string Folder(SwitchboardHome home) => Path.Combine(home.Folder, "presets");

    public static Command Create()
    {
        var exportName = new Argument<string>("name") { Description = "The preset's name." };
        var export = new Command("export", "Save the current config as a preset, secrets replaced by $VAR references.") { exportName };
        export.SetAction(result => Export(SwitchboardHome.FromEnvironment(), result.GetValue(exportName)!, CliConsole.Out));

        var source = new Argument<string>("file-or-name") { Description = "A preset file, or the name of a saved preset." };
        var install = new Command("install", "Make a preset the config (the old one is kept as config.json.bak).") { source };
        install.SetAction(result => Install(SwitchboardHome.FromEnvironment(), result.GetValue(source)!, CliConsole.Out));

        var list = new Command("list", "List saved presets.");
        list.SetAction(_ => List(SwitchboardHome.FromEnvironment(), CliConsole.Out));
        return new Command("preset", "Save, share and install whole configs.") { export, install, list };
    }

    public static int Export(SwitchboardHome home, string name, IAnsiConsole console)
    {
        if (name.Length == 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name.Contains('.'))
        {
            console.MarkupLineInterpolated($"[red]switchboard: '{name}' cannot be a preset name; use letters, digits, '-' and '_'.[/]");
            return 2;
        }
        JsonObject config;
        try
        {
            config = ConfigEditor.Open(home).Root;
        }
        catch (ConfigException ex)
        {
            console.WriteLine($"switchboard: {ex.Message}");
            return 2;
        }
        config.Remove("$schema");
        var replaced = SecretScrubber.Scrub(config);
        Directory.CreateDirectory(Folder(home));
        var file = Path.Combine(Folder(home), name + ".json");
        File.WriteAllText(file, ConfigEditor.Serialize(config));
        console.MarkupLineInterpolated($"[green]exported[/] {file}");
        foreach (var (variable, path) in replaced) console.MarkupLineInterpolated($"  {path} → ${variable}");
        if (replaced.Count > 0) console.MarkupLine("Whoever installs it sets those variables; their values were not written.");
        return 0;
    }

    public static int Install(SwitchboardHome home, string source, IAnsiConsole console)
    {
        var file = File.Exists(source) ? source : Path.Combine(Folder(home), source + ".json");
        if (!File.Exists(file))
        {
            console.MarkupLineInterpolated($"[red]switchboard: no preset file '{source}' and no saved preset of that name.[/]");
            List(home, console);
            return 2;
        }
        JsonObject preset;
        try
        {
            preset = ConfigEditor.ParseObject(File.ReadAllText(file), file);
        }
        catch (ConfigException ex)
        {
            console.WriteLine($"switchboard: {ex.Message}");
            return 2;
        }
        preset["$schema"] = "./config.schema.json";
        var backup = ConfigEditor.BackupFile(home);
        var errors = ConfigEditor.WriteCheckedKeepingBackup(home, ConfigEditor.Serialize(preset));
        if (errors.Count > 0)
        {
            console.MarkupLine("[red]switchboard: not installed; the preset would not load:[/]");
            foreach (var error in errors) console.WriteLine("  " + error.ToString().Replace(home.ConfigFile, file, StringComparison.Ordinal));
            return 2;
        }
        console.MarkupLineInterpolated($"[green]installed[/] {file} as {home.ConfigFile} (the previous config is in {backup})");
        var unset = Variables(preset).Where(name => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))).Distinct().ToList();
        if (unset.Count > 0) console.MarkupLineInterpolated($"[yellow]set these before use:[/] {string.Join(", ", unset)}");
        return 0;
    }

    public static int List(SwitchboardHome home, IAnsiConsole console)
    {
        var files = Directory.Exists(Folder(home)) ? Directory.GetFiles(Folder(home), "*.json").Order(StringComparer.Ordinal).ToList() : [];
        if (files.Count == 0)
        {
            console.MarkupLineInterpolated($"No presets yet in {Folder(home)}; save one with: switchboard preset export NAME");
            return 0;
        }
        var table = new Table().AddColumns("preset", "providers", "default route");
        foreach (var file in files)
        {
            string providers, route;
            try
            {
                var root = ConfigEditor.ParseObject(File.ReadAllText(file), file);
                providers = string.Join(", ", (root["providers"] as JsonObject ?? []).Select(pair => pair.Key));
                route = root["routes"]?["default"]?.ToJsonString().Trim('"') ?? "(none)";
            }
            catch (ConfigException)
            {
                (providers, route) = ("(not valid JSON)", "");
            }
            table.AddRow(Markup.Escape(Path.GetFileNameWithoutExtension(file)), Markup.Escape(providers), Markup.Escape(route));
        }
        console.Write(table);
        return 0;
    }

    private static IEnumerable<string> Variables(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(pair => Variables(pair.Value)),
        JsonArray array => array.SelectMany(Variables),
        JsonValue value when value.TryGetValue<string>(out var text) && text.StartsWith('$') => [text.TrimStart('$').Trim('{', '}')],
        _ => [],
    };
}
