using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Switchboard.Config;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard code [args…]</c>: start the router if needed, then hand over to Claude Code with
/// <c>ANTHROPIC_BASE_URL</c> pointing at it. Arguments, stdin, stdout and the exit code pass straight through.
/// </summary>
internal static class CodeCommand
{
    public const int ClaudeNotFound = 127;

    /// <summary>
    /// The command as <c>--help</c> shows it. <see cref="CodeArguments"/> reads these options by hand (everything else is
    /// Claude Code's), so a new option goes in both places; the help test lists them.
    /// </summary>
    public static Command Create()
    {
        var passThrough = new Argument<string[]>("claude-args")
        {
            Description = "Passed to claude unchanged: everything from the first argument that is not ours, or after --.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("code", "Start the router if needed and run Claude Code through it.") { passThrough };
        foreach (var option in RunOptions.All) command.Options.Add(option);
        command.Options.Add(new Option<bool>("--non-interactive") { Description = "For CI and scripts: Claude Code runs headless, never waiting for a prompt or a terminal." });
        command.Options.Add(new Option<bool>("--no-discovery") { Description = "Keep Claude Code's own login; /model lists only the bridged slots." });
        command.Options.Add(new Option<bool>("--discovery") { Description = "List every routed model in /model (the default)." });
        command.Options.Add(new Option<string?>("--bridge")
        {
            Description = "Which Claude Code slots get local models: conservative (Custom), aggressive (and Sonnet, Opus), off.",
            HelpName = "conservative|aggressive|off",
        });
        return command;
    }

    public static async Task<int> RunAsync(string[] args, RootCommand root)
    {
        var home = SwitchboardHome.FromEnvironment();
        var console = CliConsole.Error;
        var parsed = CodeArguments.Parse(args, out var argumentError);
        if (argumentError is not null)
        {
            console.MarkupLineInterpolated($"[red]switchboard: {argumentError}[/]");
            return 2;
        }
        if (parsed.Help)
        {
            // Ours, not Claude Code's: its help is one `--` away.
            await root.Parse(["code", "--help"]).InvokeAsync();
            Console.Out.WriteLine("Claude Code's own options: switchboard code -- --help");
            return 0;
        }
        var claudeArgs = parsed.ClaudeArgs;

        var claude = FindOnPath(OperatingSystem.IsWindows() ? ["claude.exe", "claude.cmd"] : ["claude"]);
        if (claude is null)
        {
            console.MarkupLine("[red]switchboard: Claude Code (`claude`) was not found on PATH.[/]");
            console.MarkupLine("Install it with: [bold]npm install -g @anthropic-ai/claude-code[/]");
            return ClaudeNotFound;
        }

        // Before anything starts: Claude Code would retry the router's 401 for minutes (issue 15, item 2).
        var headlessArgs = parsed.NonInteractive || claudeArgs.Any(arg => arg is "-p" or "--print");
        // Signed in to a team gateway (switchboard login): Claude Code talks to it, no local router runs.
        if (File.Exists(home.GatewayCredentialFile))
            return await Gateway.GatewayHandOff.RunAsync(home, claude, claudeArgs, headlessArgs, console);
        // (Claude Code's --help and --version need no login.)
        var asksNoModel = claudeArgs.Any(arg => arg is "--help" or "-h" or "--version" or "-v");
        if (!asksNoModel && await CheckLoginAsync(home, parsed, claude, headlessArgs, console) is { } refused) return refused;

        // The shared daemon, or (when options change the config for this run) a router of its own.
        var (router, exitCode) = await CodeRouter.StartAsync(home, parsed.Run, console);
        if (router is null) return exitCode;
        await using var _ = router;
        var headless = parsed.NonInteractive || router.Config?.ClaudeCode.NonInteractive == true;

        var flags = ClaudeCodeSetup.TakeFlags([.. claudeArgs]);
        var config = router.Config ?? ClaudeEnvironment.Configured(home);
        var wiring = await ClaudeCodeSetup.ForRunAsync(router.Url, config, flags,
            new ClaudeCodeSetup.SetupToken(Providers.Anthropic.SubscriptionToken.EnvironmentToken is not null, router.UsesSetupToken), headless);
        foreach (var line in wiring.Summary) console.MarkupLineInterpolated($"[grey]switchboard: {line}[/]");
        foreach (var warning in wiring.Warnings) console.MarkupLineInterpolated($"[yellow]switchboard: {warning}[/]");

        var info = new ProcessStartInfo(claude) { UseShellExecute = false };
        foreach (var arg in flags.ClaudeArgs) info.ArgumentList.Add(arg);
        foreach (var (name, value) in wiring.Variables) info.Environment[name] = EnvExpander.Expand(value);
        if (headless) info.RedirectStandardInput = HeadlessEnvironment.ShouldCloseStdin;

        // Ctrl+C belongs to Claude Code (the terminal sends it to both of us); we wait for it to finish.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var process = Process.Start(info)!;
        if (info.RedirectStandardInput) process.StandardInput.Close();
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>
    /// Null to go on; else the exit code. Headless (or without a terminal) the advice ends the run; at a terminal the
    /// user may make the first installed local model the default and go on.
    /// </summary>
    private static async Task<int?> CheckLoginAsync(SwitchboardHome home, CodeArguments parsed, string claude, bool headless, IAnsiConsole console)
    {
        ConfigFile.CreateIfMissing(home);
        if (ClaudeEnvironment.Configured(home) is not { } file) return null;
        var config = parsed.Run.Overrides.Apply(file);
        if (config.ClaudeCode.NonInteractive) headless = true;
        if (MissingLoginCheck.UnsignedAnthropicDefault(config, MissingLoginCheck.RequestedModel(parsed.ClaudeArgs)) is not { } target) return null;

        using var lookup = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var localModels = await ClaudeCodeSetup.LocalModelsAsync(config, lookup.Token);
        MissingLoginCheck.Advise(console, target, claude, localModels);
        if (headless || localModels.Count == 0 || Console.IsInputRedirected) return 2;

        console.Write(new Markup($"Make [bold]{Markup.Escape(localModels[0].ToString())}[/] the default and go on? [[y/N]] "));
        if (Console.ReadLine()?.Trim() is not ("y" or "Y" or "yes")) return 2;
        var written = await ModelSettingCommand.Default.RunAsync(home, localModels[0].ToString(), console, CancellationToken.None);
        return written == 0 ? null : written;
    }

    internal static string? FindOnPath(IEnumerable<string> names, string? path = null)
    {
        path ??= Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        foreach (var name in names)
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
