using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Switchboard.Tests.Infrastructure;

/// <summary>Runs the real <c>switchboard</c> executable (built next to the tests) as a child process.</summary>
public sealed class CliRunner(TempHome home)
{
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "switchboard.exe" : "switchboard");

    /// <summary>Where the .NET runtime lives, so the executable starts whatever PATH a test gives it.</summary>
    public static readonly string DotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    public TempHome Home => home;

    public async Task<ChildProcess.Result> RunAsync(IEnumerable<string> args, string? path = null, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, string? fileName = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName ?? Executable);
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["SWITCHBOARD_HOME"] = home.Folder;
        info.Environment["DOTNET_ROOT"] = DotnetRoot;
        // A long-lived Claude login in the environment running the tests would change what discovery mode sends.
        info.Environment.Remove(global::Switchboard.Providers.Anthropic.SubscriptionToken.EnvironmentVariable);
        if (path is not null) info.Environment["PATH"] = path;
        if (environment is not null) foreach (var (key, value) in environment) info.Environment[key] = value;
        return await ChildProcess.RunAsync(info, TimeSpan.FromSeconds(90), stdin);
    }

    public Task<ChildProcess.Result> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    /// <summary>Stops a daemon this home may have started, whatever state the test left it in.</summary>
    public async Task StopDaemonAsync()
    {
        await RunAsync("stop");
        if (!File.Exists(home.Home.PidFile)) return;
        if (int.TryParse(File.ReadLines(home.Home.PidFile).FirstOrDefault(), out var pid))
        {
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }
}
