using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Switchboard.Cli;

/// <summary>
/// On Windows, <see cref="System.Diagnostics.Process.Start()"/> lets a child inherit every inheritable handle of its
/// parent, our own stdin/stdout/stderr included. A daemon that holds the pipe of <c>switchboard start | more</c>
/// keeps that pipe open for its whole life, so the reader never sees the end. Clearing the inherit flag on our
/// standard handles before the daemon starts keeps them ours.
/// </summary>
[SupportedOSPlatform("windows")]
internal static partial class WindowsHandles
{
    private const int StdInput = -10, StdOutput = -11, StdError = -12;
    private const uint HandleFlagInherit = 0x1;

    public static void StopInheritingStandardHandles()
    {
        foreach (var which in (ReadOnlySpan<int>)[StdInput, StdOutput, StdError])
        {
            var handle = GetStdHandle(which);
            // A missing or invalid handle (no console, redirected to nul) has nothing to leak.
            if (handle != 0 && handle != -1) _ = SetHandleInformation(handle, HandleFlagInherit, 0);
        }
    }

    [LibraryImport("kernel32.dll", SetLastError = true)]
    private static partial nint GetStdHandle(int which);

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool SetHandleInformation(nint handle, uint mask, uint flags);
}
