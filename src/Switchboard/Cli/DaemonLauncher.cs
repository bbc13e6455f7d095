using System.Diagnostics;
using Spectre.Console;
using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary>
/// Starts the daemon: this same executable as <c>serve --daemon</c>, which leaves the terminal's session itself
/// (<see cref="TerminalSession"/>), logging to the home folder. Returns once <c>/health</c> answers, or says why it could not start.
/// </summary>
internal static class DaemonLauncher
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The exit code of a command that refused to (re)start the router because the config does not load.</summary>
    public const int ConfigNotValid = 2;

    public sealed record Started(int Pid, HealthReport Health, bool WasRunning);

    public static async Task<(Started? Daemon, int ExitCode)> EnsureRunningAsync(
        SwitchboardHome home, int? port, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var daemon = new DaemonClient(home);
        if (await daemon.RunningHealthAsync(cancellationToken) is { } running)
            return (new Started(running.Pid, running.Health, WasRunning: true), 0);
        daemon.ForgetStale();

        // Check the config here first: a broken file is reported at once, with its paths, instead of via the log.
        if (RefusesConfig(home, console, "the router was not started")) return (null, ConfigNotValid);

        var logStart = File.Exists(home.LogFile) ? new FileInfo(home.LogFile).Length : 0;
        if (OperatingSystem.IsWindows()) WindowsHandles.StopInheritingStandardHandles();
        using var process = Process.Start(DaemonStartInfo(home, port))!;
        process.StandardInput.Close();

        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
        {
            if (await daemon.RunningHealthAsync(cancellationToken) is { } healthy)
                return (new Started(healthy.Pid, healthy.Health, WasRunning: false), 0);
            if (process.HasExited && daemon.Running() is null) break;
            await Task.Delay(50, cancellationToken);
        }

        console.MarkupLine("[red]switchboard: the router did not start.[/] Its log says:");
        console.WriteLine(LogSince(home.LogFile, logStart));
        return (null, 1);
    }

    /// <summary>
    /// Loads the config as the daemon will (writing the defaults when there is no file); when it does not load, says
    /// so with every problem and its JSON path, then <paramref name="consequence"/>, and returns true.
    /// </summary>
    public static bool RefusesConfig(SwitchboardHome home, IAnsiConsole console, string consequence)
    {
        ConfigFile.CreateIfMissing(home);
        var (_, problems) = ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry);
        if (problems.Count == 0) return false;
        console.MarkupLineInterpolated($"[red]switchboard: the config is not valid; {consequence}:[/]");
        foreach (var problem in problems) console.WriteLine("  " + problem);
        return true;
    }

    private static ProcessStartInfo DaemonStartInfo(SwitchboardHome home, int? port)
    {
        var self = SelfInvocation.Command();
        var args = new List<string>(self.Arguments) { "serve", "--daemon", "--log-file", home.LogFile };
        if (port is { } p) args.AddRange(["--port", p.ToString()]);

        var info = new ProcessStartInfo(self.File)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            // Never hand the daemon our own stdout: whoever reads it (a pipe, a test) would wait for it forever.
            // The daemon points its console at the log file before it writes anything.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["SWITCHBOARD_HOME"] = home.Folder;
        return info;
    }

    private static string LogSince(string logFile, long offset)
    {
        if (!File.Exists(logFile)) return "(no log was written)";
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        var text = new StreamReader(stream).ReadToEnd().TrimEnd();
        var lines = text.Split('\n');
        return string.Join('\n', lines.TakeLast(20));
    }
}
