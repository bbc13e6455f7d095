using System.Diagnostics;
using Switchboard.Tests.EndToEnd;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// The binary users run: Switchboard published with Native AOT, once per test run and shared by every test that needs
/// it (the AOT canary, the reliability suite). Published into the test output folder; a publish newer than every
/// source file is reused, so a local re-run does not wait for it again.
/// </summary>
public static class PublishedBinary
{
    private static readonly Lazy<Task<Publish>> Once = new(PublishAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public sealed record Publish(string Executable, int ExitCode, string Output, bool Reused);

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "published-aot");

    /// <summary>The publish's result; throws if it failed, with its output.</summary>
    public static async Task<Publish> GetAsync()
    {
        var publish = await Once.Value;
        if (publish.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{publish.Output}");
        return publish;
    }

    public static async Task<string> ExecutableAsync() => (await GetAsync()).Executable;

    /// <summary>Starts the publish without waiting for it (<see cref="PublishedBinaryLast"/> does, as a run begins).</summary>
    public static void Start() => _ = Once.Value;

    private static async Task<Publish> PublishAsync()
    {
        var executable = Path.Combine(Folder, OperatingSystem.IsWindows() ? "switchboard.exe" : "switchboard");
        var log = Path.Combine(Folder, "publish.log");
        if (File.Exists(executable) && File.Exists(log) && File.GetLastWriteTimeUtc(executable) > NewestSource())
            return new Publish(executable, 0, await File.ReadAllTextAsync(log), Reused: true);

        var info = new ProcessStartInfo("dotnet");
        foreach (var arg in new[] { "publish", Path.Combine(ClaudeCodeRunner.RepoRoot, "src", "Switchboard", "Switchboard.csproj"),
                     "-c", "Release", "-o", Folder, "--nologo" })
            info.ArgumentList.Add(arg);
        var result = await ChildProcess.RunAsync(info, TimeSpan.FromMinutes(8));
        var output = result.Stdout + result.Stderr;
        if (result.ExitCode == 0)
        {
            // The output is kept beside the binary, so a reused publish still shows its warnings to the AOT canary.
            await File.WriteAllTextAsync(log, output);
            File.SetLastWriteTimeUtc(executable, DateTime.UtcNow);
        }
        return new Publish(executable, result.ExitCode, output, Reused: false);
    }

    private static DateTime NewestSource()
    {
        var roots = new[] { "src", "schema", "Directory.Build.props", "Directory.Packages.props" }
            .Select(part => Path.Combine(ClaudeCodeRunner.RepoRoot, part));
        return roots.SelectMany(root => File.Exists(root) ? [root] : Directory.Exists(root)
                ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
                : [])
            .Select(File.GetLastWriteTimeUtc)
            .DefaultIfEmpty(DateTime.MaxValue)
            .Max();
    }
}
