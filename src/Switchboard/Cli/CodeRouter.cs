using Microsoft.Extensions.Logging;
using Spectre.Console;
using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary>
/// The router one <c>switchboard code</c> talks to. Normally the shared background daemon (started if needed). When
/// the command line changes the config for this run (<c>--default-model</c>, <c>--port</c>, …) the daemon, which
/// serves the file as written, cannot honour that; so this run gets its own router, inside this process, which ends
/// with Claude Code and never touches the file or the daemon.
/// </summary>
internal sealed class CodeRouter : IAsyncDisposable
{
    private readonly SwitchboardServer? _ownServer;

    private CodeRouter(string url, SwitchboardConfig? config, SwitchboardServer? ownServer, bool usesSetupToken)
    {
        Url = url;
        Config = config;
        _ownServer = ownServer;
        UsesSetupToken = usesSetupToken;
    }

    public string Url { get; }

    /// <summary>Whether this router swaps the sentinel for a <c>claude setup-token</c> token from its environment.</summary>
    public bool UsesSetupToken { get; }

    /// <summary>The config this run serves (with its overrides); null when the file does not load.</summary>
    public SwitchboardConfig? Config { get; }

    public static async Task<(CodeRouter? Router, int ExitCode)> StartAsync(SwitchboardHome home, RunOptions run, IAnsiConsole console)
    {
        if (!run.ChangesConfig)
        {
            var (daemon, exitCode) = await DaemonLauncher.EnsureRunningAsync(home, port: null, console, CancellationToken.None);
            if (daemon is null) return (null, exitCode);
            if (!daemon.WasRunning) console.MarkupLineInterpolated($"[grey]switchboard: router started on {daemon.Health.Url} (pid {daemon.Pid})[/]");
            return (new CodeRouter(daemon.Health.Url, ClaudeEnvironment.Configured(home), null, daemon.Health.SetupTokenLogin), 0);
        }

        if (run.Check(home) is { Count: > 0 } problems)
        {
            console.MarkupLine("[red]switchboard: with this run's options the config would not serve:[/]");
            foreach (var problem in problems) console.WriteLine("  " + problem);
            return (null, 2);
        }
        var server = SwitchboardServer.Create(new ServerOptions
        {
            Home = home,
            Port = run.Port ?? 0,
            Overrides = run.Overrides,
            LogLevel = run.Verbose ? LogLevel.Debug : LogLevel.Warning,
            LoggerProvider = new RunLogProvider(home),
        });
        try
        {
            await server.StartAsync();
        }
        catch (IOException ex)
        {
            await server.DisposeAsync();
            console.MarkupLineInterpolated($"[red]switchboard: cannot listen: {ex.Message}[/]");
            return (null, 1);
        }
        var url = server.Address.ToString().TrimEnd('/');
        console.MarkupLineInterpolated($"[grey]switchboard: a router for this run only, with its command-line overrides, on {url} (log: {RunLogProvider.FileFor(home)})[/]");
        return (new CodeRouter(url, server.Config.Current.Config, server, server.UsesSetupToken), 0);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownServer is not null) await _ownServer.DisposeAsync();
    }
}
