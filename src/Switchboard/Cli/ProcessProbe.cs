using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Switchboard.Cli;

/// <summary>Whether a process lives, and how to ask it to stop, without being its parent.</summary>
internal static partial class ProcessProbe
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    public static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            // A stopped daemon whose parent never reaps it lingers as a zombie; it is not alive for our purposes.
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
                return state is not ('Z' or 'X' or default(char));
            }
            catch (IOException)
            {
                return false;
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Asks for a graceful stop (SIGTERM); on Windows, which has no such signal, ends the process.</summary>
    public static void RequestStop(int pid)
    {
        if (OperatingSystem.IsWindows()) Kill(pid);
        else _ = SendSignal(pid, SigTerm);
    }

    public static void Kill(int pid)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = SendSignal(pid, SigKill);
            return;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (ArgumentException)
        {
        }
    }

    /// <summary>Waits (polling, bounded) until the process is gone.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (IsAlive(pid))
        {
            if (Stopwatch.GetTimestamp() > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
