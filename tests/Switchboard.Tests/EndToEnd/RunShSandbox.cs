using System.Diagnostics;
using Shouldly;
using Switchboard.Config;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// A fresh machine for <c>./run.sh</c>: a fresh <c>HOME</c>, no <c>claude</c> on PATH, and a clone whose
/// <c>run.sh</c> is the repository's own (a symlink, so the script under test is the one users run). What run.sh
/// would build and install is already in place, so it does neither and reaches no network: its
/// <c>artifacts/switchboard</c> is the Native AOT publish the test run already made (<see cref="PublishedBinary"/>;
/// the stand-in's <c>src</c> and <c>schema</c> are empty, so nothing is newer), and its <c>artifacts/claude-code</c>
/// holds the pinned Claude Code from tests/e2e with the same package-lock.json, which run.sh takes as installed.
/// </summary>
public sealed class RunShSandbox : IAsyncDisposable
{
    private RunShSandbox(string root, string publishedFolder)
    {
        Root = root;
        Repo = Path.Combine(root, "switchboard");
        Home = Path.Combine(root, "home");
        Directory.CreateDirectory(Home);
        foreach (var folder in new[] { "src", "schema", Path.Combine("tests", "e2e"), Path.Combine("artifacts", "claude-code") })
            Directory.CreateDirectory(Path.Combine(Repo, folder));
        var repoRoot = ClaudeCodeRunner.RepoRoot;
        File.CreateSymbolicLink(Path.Combine(Repo, "run.sh"), Path.Combine(repoRoot, "run.sh"));
        File.CreateSymbolicLink(Path.Combine(Repo, "README.md"), Path.Combine(repoRoot, "README.md"));
        Directory.CreateSymbolicLink(Path.Combine(Repo, "artifacts", "switchboard"), publishedFolder);
        foreach (var file in new[] { "package.json", "package-lock.json" })
            File.Copy(Path.Combine(repoRoot, "tests", "e2e", file), Path.Combine(Repo, "tests", "e2e", file));
        File.Copy(Path.Combine(repoRoot, "tests", "e2e", "package-lock.json"), Path.Combine(Repo, "artifacts", "claude-code", "package-lock.json"));
        _ = ClaudeCodeRunner.ClaudeExecutable; // fails with the install command when tests/e2e was not installed
        Directory.CreateSymbolicLink(Path.Combine(Repo, "artifacts", "claude-code", "node_modules"), Path.Combine(repoRoot, "tests", "e2e", "node_modules"));
    }

    public string Root { get; }

    /// <summary>The stand-in clone: where the user runs the README's commands.</summary>
    public string Repo { get; }

    /// <summary>The fresh <c>HOME</c>.</summary>
    public string Home { get; }

    /// <summary>The Switchboard home a run without <c>SWITCHBOARD_HOME</c> uses: <c>~/.switchboard</c>.</summary>
    public SwitchboardHome SwitchboardHome => new(Path.Combine(Home, ".switchboard"));

    /// <summary>The <c>claude</c> run.sh installs, as run.sh puts it on PATH.</summary>
    public string InstalledClaude => Path.Combine(Repo, "artifacts", "claude-code", "node_modules", ".bin", "claude");

    /// <summary>Extra variables for the runs, on top of a clean login shell's.</summary>
    public Dictionary<string, string> Environment { get; } = new();

    public static async Task<RunShSandbox> CreateAsync()
    {
        var executable = await PublishedBinary.ExecutableAsync();
        var root = Path.Combine(Path.GetTempPath(), "switchboard-runsh-" + Guid.NewGuid().ToString("N")[..10]);
        return new RunShSandbox(root, Path.GetDirectoryName(executable)!);
    }

    /// <summary>
    /// The config a first run writes (<see cref="ConfigFile.DefaultJson"/>), planted in <c>~/.switchboard</c> with only
    /// what must not reach the network or a shared port changed: the port, and each provider's base URL pointed at a
    /// loopback upstream (a dead port for those a test does not script).
    /// </summary>
    public void PlantDefaultConfig(string anthropicUrl, string ollamaUrl, int port)
    {
        var json = ConfigFile.DefaultJson;
        foreach (var (from, to) in new[]
                 {
                     ("\"port\": 11436", $"\"port\": {port}"),
                     ("\"baseUrl\": \"https://api.anthropic.com\"", $"\"baseUrl\": \"{anthropicUrl}\""),
                     ("\"baseUrl\": \"http://127.0.0.1:11434\"", $"\"baseUrl\": \"{ollamaUrl}\""),
                     ("\"baseUrl\": \"https://ollama.com\"", "\"baseUrl\": \"http://127.0.0.1:9\""),
                 })
        {
            json.ShouldContain(from, customMessage: "the default config changed shape; point the sandbox's copy at loopback again");
            json = json.Replace(from, to, StringComparison.Ordinal);
        }
        Directory.CreateDirectory(SwitchboardHome.Folder);
        File.WriteAllText(SwitchboardHome.ConfigFile, json);
    }

    /// <summary>Runs a script with bash in the clone, stopping at the first command that fails (<c>bash -e</c>).</summary>
    public Task<ChildProcess.Result> BashAsync(string script, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("bash") { WorkingDirectory = Repo };
        foreach (var arg in new[] { "-e", "-c", script }) info.ArgumentList.Add(arg);
        info.Environment.Clear();
        // What a login shell on a fresh machine has; no `claude` anywhere on this PATH, no Claude or Switchboard
        // variables. The three CLAUDE_CODE/DISABLE ones keep Claude Code's own calls home (telemetry, updates) off,
        // as the machine running the tests has no network to give them.
        info.Environment["HOME"] = Home;
        info.Environment["USER"] = "tester";
        // The .NET SDK running these tests, wherever it is installed: run.sh checks for `dotnet` before anything.
        info.Environment["PATH"] = $"{CliRunner.DotnetRoot}:/usr/local/bin:/usr/bin:/bin";
        info.Environment["LANG"] = "C.UTF-8";
        info.Environment["TERM"] = "dumb";
        info.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        info.Environment["DISABLE_TELEMETRY"] = "1";
        info.Environment["DISABLE_AUTOUPDATER"] = "1";
        foreach (var (key, value) in Environment) info.Environment[key] = value;
        return ChildProcess.RunAsync(info, timeout ?? TimeSpan.FromSeconds(150));
    }

    public async ValueTask DisposeAsync()
    {
        // The daemon the runs started: `stop` as the user would, then by its pid whatever state it is in.
        var home = SwitchboardHome;
        if (File.Exists(home.PidFile))
        {
            var stop = new ProcessStartInfo(Path.Combine(Repo, "artifacts", "switchboard", "switchboard"));
            stop.ArgumentList.Add("stop");
            stop.Environment["HOME"] = Home;
            stop.Environment["SWITCHBOARD_HOME"] = home.Folder;
            try { await ChildProcess.RunAsync(stop, TimeSpan.FromSeconds(30)); } catch (TimeoutException) { }
            if (File.Exists(home.PidFile) && int.TryParse(File.ReadLines(home.PidFile).FirstOrDefault(), out var pid))
            {
                try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
            }
        }
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
