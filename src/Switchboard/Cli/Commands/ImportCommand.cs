using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Switchboard.Cli.Editing;
using Switchboard.Cli.Import;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard import ccr [PATH]</c>: merges a claude-code-router config into ours (its providers added or
/// replaced by name, its Router into <c>routes</c>), checked before it is written; lists what did not carry over and
/// every provider, route and setting it replaced (old → new), and keeps the previous config as <c>config.json.bak</c>.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var path = new Argument<string?>("path") { Description = "The CCR config (default: ~/.claude-code-router/config.json).", Arity = ArgumentArity.ZeroOrOne };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the result without writing it." };
        var ccr = new Command("ccr", "Convert a claude-code-router config (Providers, Router, transformers) into this one.") { path, dryRun };
        ccr.SetAction(result => RunCcr(SwitchboardHome.FromEnvironment(), result.GetValue(path), result.GetValue(dryRun), CliConsole.Out));
        return new Command("import", "Bring settings over from another router.") { ccr };
    }

    public static int RunCcr(SwitchboardHome home, string? path, bool dryRun, IAnsiConsole console)
    {
        path ??= Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".claude-code-router", "config.json");
        if (!File.Exists(path))
        {
            console.MarkupLineInterpolated($"[red]switchboard: {path} does not exist.[/] Name the CCR config: switchboard import ccr PATH");
            return 2;
        }
        ConfigEditor editor;
        CcrConfigConverter.Result converted;
        try
        {
            converted = CcrConfigConverter.Convert(ConfigEditor.ParseObject(File.ReadAllText(path), path));
            editor = ConfigEditor.Open(home);
        }
        catch (ConfigException ex)
        {
            console.WriteLine($"switchboard: {ex.Message}");
            return 2;
        }

        var replaced = new List<string>();
        var providers = editor.Object("providers");
        foreach (var (name, provider) in converted.Providers)
        {
            console.MarkupLineInterpolated($"provider [bold]{name}[/] ({Describe(provider!)})");
            if (providers[name] is { } old && !JsonNode.DeepEquals(old, provider))
                replaced.Add($"providers.{name}: {Describe(old)} → {Describe(provider!)}");
            providers[name] = provider!.DeepClone();
        }
        var routes = editor.Object("routes");
        foreach (var (duty, target) in converted.Routes)
        {
            console.MarkupLineInterpolated($"route    [bold]{duty}[/] → {target}");
            if (routes[duty] is { } old && !JsonNode.DeepEquals(old, target))
                replaced.Add($"routes.{duty}: {Shown(duty, old)} → {Shown(duty, target!)}");
            routes[duty] = target!.DeepClone();
        }
        foreach (var (key, value) in converted.Settings)
        {
            if (value is JsonObject section)
                foreach (var (inner, innerValue) in section) Replace(editor.Object(key), inner, innerValue!, $"{key}.{inner}", replaced);
            else Replace(editor.Root, key, value!, key, replaced);
            console.MarkupLineInterpolated($"setting  [bold]{key}[/] = {Shown(key, value!)}");
        }
        if (converted.NotCarried.Count > 0)
        {
            console.MarkupLine("[yellow]not carried over:[/]");
            foreach (var item in converted.NotCarried) console.MarkupLineInterpolated($"  - {item}");
        }
        if (replaced.Count > 0)
        {
            console.MarkupLine("[yellow]replaced (old → new):[/]");
            foreach (var item in replaced) console.MarkupLineInterpolated($"  - {item}");
        }

        if (dryRun)
        {
            console.WriteLine(Dashboard.SecretMask.Mask(ConfigEditor.Serialize(editor.Root)));
            console.MarkupLine("[grey](--dry-run: nothing written)[/]");
            return 0;
        }
        var errors = ConfigEditor.WriteCheckedKeepingBackup(home, ConfigEditor.Serialize(editor.Root));
        if (errors.Count > 0)
        {
            console.MarkupLine("[red]switchboard: not written; the merged config would not load:[/]");
            foreach (var error in errors) console.WriteLine("  " + error);
            return 2;
        }
        console.MarkupLineInterpolated($"[green]imported[/] {path} into {home.ConfigFile} (the previous config is in {ConfigEditor.BackupFile(home)})");
        if (editor.HadComments) console.MarkupLine("[yellow]note: the comments in config.json were not kept.[/]");
        return 0;
    }

    /// <summary>Sets <paramref name="key"/>, noting the old value when it was something else.</summary>
    private static void Replace(JsonObject parent, string key, JsonNode value, string shownAs, List<string> replaced)
    {
        if (parent[key] is { } old && !JsonNode.DeepEquals(old, value))
            replaced.Add($"{shownAs}: {Shown(key, old)} → {Shown(key, value)}");
        parent[key] = value.DeepClone();
    }

    /// <summary>A provider in a few words: <c>openai, preset deepseek, https://api.deepseek.com</c>, its URL's login masked.</summary>
    private static string Describe(JsonNode provider)
    {
        string? Text(string key) => provider[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        string?[] parts = [Text("type") ?? "?", Text("preset") is { } preset ? "preset " + preset : null, Secrets.MaskUrl(Text("baseUrl"))];
        return string.Join(", ", parts.OfType<string>());
    }

    /// <summary>A setting as printed: a secret (CCR's <c>APIKEY</c>, a proxy URL's password) masked, as everywhere else.</summary>
    private static string Shown(string key, JsonNode value) =>
        value is JsonValue leaf && leaf.TryGetValue<string>(out var text) && Secrets.IsSecret(key, null, text)
            ? JsonValue.Create(Secrets.Mask(text)).ToJsonString()
            : value.ToJsonString();
}
