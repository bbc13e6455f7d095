using System.CommandLine;
using Spectre.Console;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard status</c>: is the daemon up, is the config good, what does it route to.</summary>
internal static class StatusCommand
{
    public const int NotRunning = 3;

    public static Command Create()
    {
        var command = new Command("status", "Show the router's state, config validity and providers.");
        command.SetAction(async (_, cancellationToken) => await RunAsync(SwitchboardHome.FromEnvironment(), CliConsole.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(SwitchboardHome home, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var daemon = new DaemonClient(home);
        if (await daemon.RunningHealthAsync(cancellationToken) is { } running)
        {
            var health = running.Health;
            console.MarkupLineInterpolated($"[green]running[/]  pid {running.Pid}  {health.Url}  version {health.Version}  up {TimeSpan.FromSeconds(health.UptimeSeconds)}");
            foreach (var warning in health.Warnings ?? []) console.MarkupLineInterpolated($"[yellow]warning[/]  {warning}");
            if (health.Providers is { } providers)
            {
                ShowConfig(console, health.Config.File ?? home.ConfigFile, health.Config.Problems ?? [], serving: true);
                ShowProviders(console, providers.Select(p => (p.Name, p.Type, p.BaseUrl)));
            }
            else
            {
                // The daemon did not take this shell's idea of the key: show the file as this shell reads it.
                console.MarkupLine("[yellow]the daemon shows its config and providers only with its apiKey; from the file:[/]");
                ShowFile(console, home, serving: true);
            }
            ClaudeCodeSettingsTable.Write(console, ClaudeEnvironment.Configured(home), Environment.GetEnvironmentVariable);
            return 0;
        }

        console.MarkupLine("[yellow]stopped[/]  (start it with: switchboard start)");
        ClaudeCodeSettingsTable.Write(console, ShowFile(console, home, serving: false), Environment.GetEnvironmentVariable);
        return NotRunning;
    }

    /// <summary>The config file's state and providers as the CLI reads them; returns the config when it loads.</summary>
    private static SwitchboardConfig? ShowFile(IAnsiConsole console, SwitchboardHome home, bool serving)
    {
        var (config, problems) = File.Exists(home.ConfigFile)
            ? ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry)
            : (null, [new ConfigError(home.ConfigFile, "$", "no config file yet; `switchboard init` writes the defaults")]);
        ShowConfig(console, home.ConfigFile, problems.Select(p => p.ToString()).ToList(), serving);
        if (config is not null) ShowProviders(console, config.Providers.Select(p => (p.Key, p.Value.Type, p.Value.BaseUrl)));
        return config;
    }

    /// <summary>The file's state; when it is not valid, what that means: a running router keeps its last good config, none can start.</summary>
    private static void ShowConfig(IAnsiConsole console, string file, IReadOnlyList<string> problems, bool serving)
    {
        if (problems.Count == 0)
        {
            console.MarkupLineInterpolated($"config   {file} [green](valid)[/]");
            return;
        }
        var meaning = serving
            ? "the last good config keeps serving"
            : "nothing is running, and `switchboard start` will refuse it until it is fixed";
        console.MarkupLineInterpolated($"config   {file} [red](not valid; {meaning})[/]");
        foreach (var problem in problems) console.MarkupLineInterpolated($"  [red]-[/] {WithoutFile(problem, file)}");
    }

    /// <summary>
    /// A problem as the daemon or the loader words it (<c>FILE:1: $.port must be a whole number</c>) without the file,
    /// which the line above names: <c>line 1: $.port must be a whole number</c>.
    /// </summary>
    private static string WithoutFile(string problem, string file)
    {
        if (!problem.StartsWith(file + ":", StringComparison.Ordinal)) return problem;
        var rest = problem[(file.Length + 1)..];
        var colon = rest.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && rest[..colon].All(char.IsAsciiDigit) ? $"line {rest[..colon]}: {rest[(colon + 2)..]}" : rest.TrimStart();
    }

    private static void ShowProviders(IAnsiConsole console, IEnumerable<(string Name, string Type, string? BaseUrl)> providers)
    {
        var table = new Table().AddColumns("provider", "type", "baseUrl");
        foreach (var (name, type, baseUrl) in providers) table.AddRow(Markup.Escape(name), Markup.Escape(type), Markup.Escape(Secrets.MaskUrl(baseUrl) ?? "(default)"));
        console.Write(table);
    }
}
