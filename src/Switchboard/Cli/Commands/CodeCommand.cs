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

    public static Command Create()
    {
        var passThrough = new Argument<string[]>("claude-args") { Description = "Passed to claude unchanged.", Arity = ArgumentArity.ZeroOrMore };
        return new Command("code", "Start the router if needed and run Claude Code through it.") { passThrough };
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var home = SwitchboardHome.FromEnvironment();
        var console = CliConsole.Error;
        var parsed = CodeArguments.Parse(args, out var argumentError);
        if (argumentError is not null)
        {
            console.MarkupLineInterpolated($"[red]switchboard: {argumentError}[/]");
            return 2;
        }
        var claudeArgs = parsed.ClaudeArgs;

        var claude = FindOnPath(OperatingSystem.IsWindows() ? ["claude.exe", "claude.cmd"] : ["claude"]);
        if (claude is null)
        {
            console.MarkupLine("[red]switchboard: Claude Code (`claude`) was not found on PATH.[/]");
            console.MarkupLine("Install it with: [bold]npm install -g @anthropic-ai/claude-code[/]");
            return ClaudeNotFound;
        }

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
