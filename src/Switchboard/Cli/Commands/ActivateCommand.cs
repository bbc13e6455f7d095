using System.CommandLine;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>eval "$(switchboard activate)"</c>: point a plain <c>claude</c> in this shell at the router, with exactly the
/// environment <c>switchboard code --no-discovery</c> would give it (<see cref="ClaudeCodeSetup.ForRunAsync"/>):
/// router, slots (bridged ones included), subagent model.
/// </summary>
internal static class ActivateCommand
{
    public static Command Create()
    {
        var command = new Command("activate", "Print shell exports that point Claude Code at the router, as `code --no-discovery` would (use with eval).");
        command.SetAction(async (_, _) =>
        {
            var home = SwitchboardHome.FromEnvironment();
            var daemon = new DaemonClient(home).Running();
            var url = daemon?.Url ?? ConfiguredUrl(home);
            var config = ClaudeEnvironment.Configured(home);
            var wiring = await ClaudeCodeSetup.ForRunAsync(url, config, ClaudeCodeSetup.TakeFlags(["--no-discovery"]), setupToken: null,
                headless: config?.ClaudeCode.NonInteractive == true);
            foreach (var (name, value) in wiring.Variables)
                Console.WriteLine($"export {name}={ShellQuote(value)}");
            // On stderr, as shell comments, so eval never runs them.
            foreach (var warning in wiring.Warnings) Console.Error.WriteLine($"# switchboard: {warning}");
            if (daemon is null) Console.Error.WriteLine("# switchboard is not running yet: start it with `switchboard start`");
            return 0;
        });
        return command;
    }

    private static string ConfiguredUrl(SwitchboardHome home)
    {
        var config = ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry).Config;
        var host = config?.Host is { } h && ConfigValidator.IsLoopback(h) ? h : SwitchboardConfig.LoopbackHost;
        return $"http://{host}:{config?.Port ?? SwitchboardConfig.DefaultPort}";
    }

    /// <summary>
    /// Double quotes keep <c>$VAR</c> references live, so a key kept in the environment is expanded by the shell and
    /// never printed; everything else that a shell would interpret is escaped.
    /// </summary>
    private static string ShellQuote(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("`", "\\`") + "\"";
}
