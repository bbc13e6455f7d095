using System.Globalization;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Open TCP connections of one process, read from Linux's <c>/proc</c>: the socket inodes in <c>/proc/PID/fd</c>
/// matched against <c>/proc/net/tcp</c> and <c>tcp6</c>. Used to prove a router released its upstream connections.
/// </summary>
public static class LoopbackConnections
{
    private const string Established = "01";

    public static int OpenBy(int pid, int remotePort)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            string? target;
            try { target = new FileInfo(fd).LinkTarget; } catch (IOException) { continue; }
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal)) inodes.Add(target[8..^1]);
        }
        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != Established || !inodes.Contains(fields[9])) continue;
                var remote = fields[2];
                var port = int.Parse(remote[(remote.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (port == remotePort) count++;
            }
        }
        return count;
    }
}
