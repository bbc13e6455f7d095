using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Switchboard.Tests.Infrastructure;

/// <summary>Runs the real <c>switchboard</c> executable (built next to the tests) as a child process.</summary>
public sealed class CliRunner(TempHome home)
{
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "switchboard.exe" : "switchboard");

    /// <summary>Where the .NET runtime lives, so the executable starts whatever PATH a test gives it.</summary>
    private static readonly string DotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    public TempHome Home => home;

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public async Task<Result> RunAsync(IEnumerable<string> args, string? path = null, string? stdin = null,
        IReadOnlyDictionary<string, string>? environment = null, string? fileName = null)
    {
        var info = new ProcessStartInfo(fileName ?? Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["SWITCHBOARD_HOME"] = home.Folder;
        info.Environment["DOTNET_ROOT"] = DotnetRoot;
        if (path is not null) info.Environment["PATH"] = path;
        if (environment is not null) foreach (var (key, value) in environment) info.Environment[key] = value;

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"switchboard {string.Join(' ', args)} did not finish within 90 s");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public Task<Result> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

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
