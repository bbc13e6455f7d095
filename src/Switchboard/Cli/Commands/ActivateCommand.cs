using System.CommandLine;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary><c>eval "$(switchboard activate)"</c>: point a plain <c>claude</c> in this shell at the router.</summary>
internal static class ActivateCommand
{
    public static Command Create()
    {
        var command = new Command("activate", "Print shell exports that point Claude Code at the router (use with eval).");
        command.SetAction(_ =>
        {
            var home = SwitchboardHome.FromEnvironment();
            var daemon = new DaemonClient(home).Running();
            var url = daemon?.Url ?? ConfiguredUrl(home);
            var wiring = ClaudeCodeSetup.For(url, ClaudeEnvironment.Configured(home), [], ClaudeCodeSetup.TakeFlags(["--no-discovery"]));
            foreach (var (name, value) in wiring.Variables)
                Console.WriteLine($"export {name}={ShellQuote(value)}");
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
