using System.CommandLine;
using Switchboard.Cli.Shells;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>eval "$(switchboard activate)"</c>: point a plain <c>claude</c> in this shell at the router, with exactly the
/// environment <c>switchboard code --no-discovery</c> would give it (<see cref="ClaudeCodeSetup.ForRunAsync"/>):
/// router, slots (bridged ones included), subagent model. Written for bash/zsh, fish or PowerShell
/// (<see cref="ShellAssignment"/>); <c>#</c> starts a comment in all three, so warnings read the same everywhere.
/// </summary>
internal static class ActivateCommand
{
    public static Command Create()
    {
        var shellOption = new Option<string?>("--shell")
        {
            Description = "The shell to write for (default: from $SHELL; PowerShell on Windows; else bash).",
            HelpName = "bash|zsh|fish|powershell",
        };
        shellOption.AcceptOnlyFromAmong(ShellNames.Accepted);
        var command = new Command("activate",
            "Print the environment that points Claude Code at the router, as `code --no-discovery` would: " +
            "eval \"$(switchboard activate)\", switchboard activate | source (fish), switchboard activate | Out-String | Invoke-Expression (PowerShell).")
        {
            shellOption,
        };
        command.SetAction(async (parseResult, _) =>
        {
            var shell = parseResult.GetValue(shellOption) is { } named
                ? ShellNames.Parse(named)
                : ShellNames.Detect(Environment.GetEnvironmentVariable("SHELL"), OperatingSystem.IsWindows());
            var home = SwitchboardHome.FromEnvironment();
            var daemon = new DaemonClient(home).Running();
            var url = daemon?.Url ?? ConfiguredUrl(home);
            var config = ClaudeEnvironment.Configured(home);
            var wiring = await ClaudeCodeSetup.ForRunAsync(url, config, ClaudeCodeSetup.TakeFlags(["--no-discovery"]), setupToken: null,
                headless: config?.ClaudeCode.NonInteractive == true);
            foreach (var (name, value) in wiring.Variables)
                Console.WriteLine(ShellAssignment.Line(shell, name, value));
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
}
