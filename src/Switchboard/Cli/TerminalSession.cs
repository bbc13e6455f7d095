using System.Runtime.InteropServices;

namespace Switchboard.Cli;

/// <summary>
/// The daemon leaves the terminal's session (setsid(2), on Linux and macOS alike), so neither closing the terminal
/// (SIGHUP) nor Ctrl+C in the Claude Code that started it (SIGINT to the foreground process group) ends the shared
/// router. Done by the daemon itself rather than by a <c>setsid</c> program, which macOS does not ship. Windows needs
/// nothing: the daemon starts without a console window of its own and is not in the terminal's console.
/// </summary>
internal static partial class TerminalSession
{
    public static void Leave()
    {
        if (OperatingSystem.IsWindows()) return;
        // Fails only when already a session or group leader, which a child we started is not; nothing to do then.
        _ = NewSession();
    }

    [LibraryImport("libc", EntryPoint = "setsid")]
    private static partial int NewSession();
}
