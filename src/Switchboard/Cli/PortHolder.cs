using System.Globalization;

namespace Switchboard.Cli;

/// <summary>
/// Who holds a port the router could not bind, when it can be found: another Switchboard (its <c>/health</c> gives its
/// pid and URL, and its config file to a caller with its key), or else, on Linux, the process whose socket listens on it
/// (<c>/proc/net/tcp</c> and <c>tcp6</c> name the socket's inode, <c>/proc/PID/fd</c> the process holding it).
/// </summary>
internal static class PortHolder
{
    private const string Listening = "0A";

    /// <summary>What to tell the user about the port's holder and how to free it; null when nobody can be named.</summary>
    public static async Task<string?> DescribeAsync(string host, int port, string? clientKey, CancellationToken cancellationToken)
    {
        var url = $"http://{ProbeHost(host)}:{port}";
        if (await DaemonClient.HealthAsync(url, clientKey, cancellationToken) is { } health)
        {
            var home = health.Config.File is { } file ? Path.GetDirectoryName(file) : null;
            return home is null
                ? $"another Switchboard (pid {health.Pid}, {health.Url})"
                : $"another Switchboard (pid {health.Pid}, {health.Url}, home {home}: `SWITCHBOARD_HOME={home} switchboard stop` stops it)";
        }
        return ListeningProcess(port) is { } pid ? $"process {pid} ({CommandName(pid)})" : null;
    }

    /// <summary>Where to ask for <c>/health</c>: a wildcard or <c>localhost</c> bind answers on the loopback address.</summary>
    private static string ProbeHost(string host) => host.Trim('[', ']') switch
    {
        "localhost" or "0.0.0.0" or "::" or "" => "127.0.0.1",
        var address when address.Contains(':') => $"[{address}]",
        var address => address,
    };

    /// <summary>The process listening on <paramref name="port"/> (Linux only; other users' processes are not visible).</summary>
    private static int? ListeningProcess(int port)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != Listening) continue;
                var local = fields[1];
                if (int.TryParse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var bound)
                    && bound == port)
                    inodes.Add(fields[9]);
            }
        }
        if (inodes.Count == 0) return null;

        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(folder, "fd")))
                {
                    var target = new FileInfo(fd).LinkTarget;
                    if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                        return pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's process, or one that ended while we looked.
            }
        }
        return null;
    }

    private static string CommandName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "its name is not readable";
        }
    }
}
