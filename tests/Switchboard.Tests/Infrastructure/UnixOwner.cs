using System.Diagnostics;
using Shouldly;

namespace Switchboard.Tests.Infrastructure;

/// <summary>A file's owner, set and read with the system's own <c>chown</c> and <c>stat</c> (not Switchboard's code).</summary>
public static class UnixOwner
{
    /// <summary>Only root on Linux can give a file away, so only there can keeping the owner be tested.</summary>
    public static bool CanTest => OperatingSystem.IsLinux() && Environment.UserName == "root";

    public static Task SetAsync(string path, string userAndGroup) => RunAsync("chown", userAndGroup, path);

    /// <summary><c>uid:gid</c>.</summary>
    public static async Task<string> OfAsync(string path) => (await RunAsync("stat", "-c", "%u:%g", path)).Trim();

    private static async Task<string> RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var run = await ChildProcess.RunAsync(info, TimeSpan.FromSeconds(10));
        run.ExitCode.ShouldBe(0, run.ToString());
        return run.Stdout;
    }
}
