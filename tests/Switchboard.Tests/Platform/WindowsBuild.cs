using System.Diagnostics;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Platform;

/// <summary>
/// The Windows build of <c>switchboard.exe</c> (win-x64, self-contained), published once and run under Wine in a Wine
/// prefix of its own whose Windows user is <see cref="User"/>. Wine is a Debian package that <c>./test.sh</c> installs;
/// without it these tests fail, saying so, rather than skip.
/// </summary>
public sealed class WindowsBuild : IAsyncLifetime
{
    public const string User = "sbuser";
    private const string Wine = "/usr/bin/wine";
    private readonly TempHome _folder = new();

    public string Prefix => Path.Combine(_folder.Folder, "prefix");
    private string Published => Path.Combine(_folder.Folder, "publish");

    /// <summary><c>%USERPROFILE%</c> as Linux sees it, and as Windows programs see it.</summary>
    public string UserProfile => Path.Combine(Prefix, "drive_c", "users", User);
    public const string WindowsUserProfile = @"C:\users\" + User;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Wine))
            throw new InvalidOperationException($"{Wine} is missing: the Windows build is tested under Wine (Debian packages wine and wine64), which ./test.sh installs.");

        // A publish of its own: --artifacts-path keeps its win-x64 restore out of the solution's obj folders.
        var publish = new ProcessStartInfo("dotnet");
        foreach (var arg in new[] { "publish", Path.Combine(ClaudeCodeRunner.RepoRoot, "src", "Switchboard", "Switchboard.csproj"),
                     "-c", "Release", "-r", "win-x64", "--self-contained", "-p:PublishAot=false",
                     "--artifacts-path", Path.Combine(_folder.Folder, "artifacts"), "-o", Published, "--nologo" })
            publish.ArgumentList.Add(arg);
        var published = await ChildProcess.RunAsync(publish, TimeSpan.FromMinutes(5));
        if (published.ExitCode != 0) throw new InvalidOperationException("the win-x64 publish failed:\n" + published);

        // The first program run in a new prefix creates it (the Windows folders, the user profile).
        // No Mono or Gecko installer prompts while it does (the published program carries its own .NET runtime).
        var boot = await RunWineAsync(["cmd", "/c", "echo", "%USERPROFILE%"],
            new Dictionary<string, string> { ["WINEDLLOVERRIDES"] = "mscoree,mshtml=" }, TimeSpan.FromMinutes(3));
        if (!boot.Stdout.Contains(WindowsUserProfile, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("the Wine prefix did not come up with the expected user profile:\n" + boot);
    }

    public async ValueTask DisposeAsync()
    {
        // Ends every Windows process of this prefix (a daemon a failed test left behind included).
        var kill = new ProcessStartInfo("wineserver") { ArgumentList = { "-k" } };
        kill.Environment["WINEPREFIX"] = Prefix;
        try { await ChildProcess.RunAsync(kill, TimeSpan.FromSeconds(30)); } catch (TimeoutException) { }
        if (Environment.GetEnvironmentVariable("KEEPWINE") is null) _folder.Dispose();
    }

    /// <summary>
    /// Runs <c>switchboard.exe ARGS</c> under Wine with stdout piped to us. Wine hands every Windows process it starts
    /// the Unix stderr of its parent (its own debug channel), so stderr goes to a file: a pipe there would be held open
    /// by the daemon, which real Windows does not do.
    /// </summary>
    public Task<ChildProcess.Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        RunWineAsync([Path.Combine(Published, "switchboard.exe"), .. args], environment ?? new Dictionary<string, string>(), TimeSpan.FromSeconds(90));

    private async Task<ChildProcess.Result> RunWineAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var stderr = Path.Combine(_folder.Folder, $"stderr-{Guid.NewGuid():N}.txt");
        var info = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", "exec \"$0\" \"$@\" 2>\"$WINE_STDERR\"", Wine } };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["WINE_STDERR"] = stderr;
        info.Environment["WINEPREFIX"] = Prefix;
        info.Environment["WINEDEBUG"] = "-all";
        info.Environment["USER"] = User;
        info.Environment.Remove("SWITCHBOARD_HOME");
        info.Environment.Remove("CLAUDE_CONFIG_DIR");
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var result = await ChildProcess.RunAsync(info, timeout);
        var errors = File.Exists(stderr) ? await File.ReadAllTextAsync(stderr) : "";
        return result with { Stderr = result.Stderr + errors };
    }
}
