using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard ui</c>: starts the daemon if it is not running and opens its dashboard in the browser
/// (<c>$BROWSER</c> when set, else the desktop's opener). The key is never put on a command line: when the config has
/// an <c>apiKey</c>, the page asks for it.
/// </summary>
internal static class UiCommand
{
    public static Command Create()
    {
        var noOpen = new Option<bool>("--no-open") { Description = "Print the dashboard's address without opening a browser." };
        var command = new Command("ui", "Open the dashboard (usage, live requests, config editor) in the browser.") { noOpen };
        command.SetAction(async (result, cancellationToken) =>
            await RunAsync(SwitchboardHome.FromEnvironment(), !result.GetValue(noOpen), CliConsole.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(SwitchboardHome home, bool open, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (daemon, exitCode) = await DaemonLauncher.EnsureRunningAsync(home, port: null, console, cancellationToken);
        if (daemon is null) return exitCode;
        var url = $"{daemon.Health.Url}/ui/";
        console.MarkupLineInterpolated($"dashboard: [bold]{url}[/]");
        var (config, _) = ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry);
        if (!string.IsNullOrEmpty(EnvExpander.ExpandOrNull(config?.ApiKey)))
            console.MarkupLine("  it asks for the apiKey from your config once per browser tab.");
        if (!open) return 0;
        if (!Open(url)) console.MarkupLine("  [yellow]no browser to open it with[/] (set $BROWSER); open the address above.");
        return 0;
    }

    /// <summary>Opens <paramref name="url"/> in the browser; false when there is none to open it with.</summary>
    internal static bool Open(string url)
    {
        var browser = Environment.GetEnvironmentVariable("BROWSER");
        var (file, args) = !string.IsNullOrWhiteSpace(browser) ? (browser, new[] { url })
            : OperatingSystem.IsWindows() ? ("cmd", ["/c", "start", "", url])
            : OperatingSystem.IsMacOS() ? ("open", [url])
            : ("xdg-open", [url]);
        var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(info);
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
