using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Switchboard.Config;
using Switchboard.Hosting;
using Switchboard.Team;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard serve</c>: run the router in the foreground until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string?>("--host") { Description = "Address to bind for this run." };
        var daemon = new Option<bool>("--daemon") { Description = "Run as the background daemon (used by start).", Hidden = true };
        var logFile = new Option<string?>("--log-file") { Description = "Append the log to this file.", Hidden = true };
        var command = new Command("serve", "Run the router in the foreground; options change the config for this run only.") { host, daemon, logFile };
        foreach (var option in RunOptions.All) command.Options.Add(option);
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(daemon)) TerminalSession.Leave();
            if (result.GetValue(logFile) is { } path) LogToFile(path);
            var run = RunOptions.Read(result, out var error);
            var home = SwitchboardHome.FromEnvironment();
            if (error is not null || (run.ChangesConfig && run.Check(home) is { Count: > 0 } problems && Report(problems)))
            {
                if (error is not null) await Console.Error.WriteLineAsync($"switchboard: {error}");
                return 2;
            }
            var options = new ServerOptions
            {
                Home = home,
                Port = run.Port,
                Host = result.GetValue(host),
                Overrides = run.Overrides,
                LogLevel = run.Verbose ? LogLevel.Debug : LogLevel.Information,
                WritePidFile = result.GetValue(daemon),
                TrimHeapWhenIdle = true,
            };
            return await RunAsync(options, cancellationToken);
        });
        return command;
    }

    private static bool Report(IReadOnlyList<ConfigError> problems)
    {
        Console.Error.WriteLine("switchboard: with this run's options the config would not serve:");
        foreach (var problem in problems) Console.Error.WriteLine("  " + problem);
        return true;
    }

    /// <summary>Points the console (and so the log) at a file, before anything is written.</summary>
    private static void LogToFile(string path)
    {
        var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        Console.SetOut(writer);
        Console.SetError(writer);
    }

    /// <summary>One line for a bind that failed (Kestrel's exception and its stack say no more), naming who holds the port.</summary>
    private static async Task<string> CannotListenAsync(SwitchboardServer server, SwitchboardHome home, Exception ex, CancellationToken cancellationToken)
    {
        var config = server.Config.Loaded.Config;
        var where = $"switchboard: cannot listen on {config.Host}:{config.Port}";
        if (ex.InnerException is not AddressInUseException) return $"{where}: {ex.Message}";
        var holder = await PortHolder.DescribeAsync(config.Host, config.Port, DaemonClient.ClientKeyOf(home), cancellationToken);
        return $"{where}: the port is in use by {holder ?? "a process this user cannot see"}. " +
               $"Free it, or choose another port: --port, or \"port\" in {server.Config.File}.";
    }

    /// <summary>The exit code of a replica that would not start because team mode's PostgreSQL or Redis cannot be used.</summary>
    public const int TeamNotReady = 3;

    private static string TeamCannotStart(TeamStoreException ex) => $"switchboard: team mode cannot start: {ex.Message}";

    public static async Task<int> RunAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        SwitchboardServer server;
        try
        {
            server = SwitchboardServer.Create(options);
        }
        catch (ConfigException ex)
        {
            await Console.Error.WriteLineAsync($"switchboard: {ex.Message}");
            return 2;
        }
        catch (TeamStoreException ex)
        {
            await Console.Error.WriteLineAsync(TeamCannotStart(ex));
            return TeamNotReady;
        }

        await using (server)
        {
            try
            {
                await server.RunAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                await Console.Error.WriteLineAsync(await CannotListenAsync(server, options.Home, ex, cancellationToken));
                return 1;
            }
            catch (TeamStoreException ex)
            {
                await Console.Error.WriteLineAsync(TeamCannotStart(ex));
                return TeamNotReady;
            }
        }
        return 0;
    }
}
