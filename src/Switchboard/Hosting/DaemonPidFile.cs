using Switchboard.Config;

namespace Switchboard.Hosting;

/// <summary>
/// The daemon's pid file: its process id, then the URL it serves on. The URL is there because a daemon started with
/// <c>--port</c> serves somewhere the config file does not say.
/// </summary>
public static class DaemonPidFile
{
    public static Task WriteAsync(SwitchboardHome home, Uri address, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(home.PidFile, $"{Environment.ProcessId}\n{address.ToString().TrimEnd('/')}\n", cancellationToken);

    /// <summary>The pid and URL written by a daemon, or null when there is no readable pid file.</summary>
    public static (int Pid, string Url)? Read(SwitchboardHome home)
    {
        try
        {
            var lines = File.ReadAllLines(home.PidFile);
            return lines.Length >= 2 && int.TryParse(lines[0], out var pid) ? (pid, lines[1].Trim()) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
