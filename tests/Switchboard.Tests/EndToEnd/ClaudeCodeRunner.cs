using System.Diagnostics;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Runs the real Claude Code CLI, the version pinned in tests/e2e, headless (<c>claude -p</c>), each run with its own
/// HOME and working folder. A missing CLI fails the test with the command that installs it; it never skips.
/// </summary>
public sealed class ClaudeCodeRunner : IDisposable
{
    public ClaudeCodeRunner()
    {
        Root = Path.Combine(Path.GetTempPath(), "switchboard-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        Home = Path.Combine(Root, "home");
        WorkingDirectory = Path.Combine(Root, "work");
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(WorkingDirectory);
    }

    public string Root { get; }
    public string Home { get; }
    public string WorkingDirectory { get; }

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The Claude Code version tests/e2e/package.json pins, so assertions on it follow the pin.</summary>
    public static string PinnedVersion { get; } = ReadPinnedVersion();

    private static string ReadPinnedVersion()
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoRoot, "tests", "e2e", "package.json")));
        return manifest.RootElement.GetProperty("dependencies").GetProperty("@anthropic-ai/claude-code").GetString()!;
    }

    public static string ClaudeExecutable
    {
        get
        {
            var path = Path.Combine(RepoRoot, "tests", "e2e", "node_modules", ".bin", "claude");
            if (!File.Exists(path))
                throw new InvalidOperationException(
                    $"The pinned Claude Code CLI is not installed at {path}. Run `cd tests/e2e && npm ci` (./test.sh does it).");
            return path;
        }
    }

    /// <summary>The environment of a clean headless run: nothing inherited but what a shell needs.</summary>
    public Dictionary<string, string> Environment(string baseUrl) => new()
    {
        ["HOME"] = Home,
        ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["TERM"] = "dumb",
        ["IS_SANDBOX"] = "1",
        ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
        ["DISABLE_TELEMETRY"] = "1",
        ["ANTHROPIC_BASE_URL"] = baseUrl,
        ["ANTHROPIC_API_KEY"] = "sk-ant-api03-e2e-test-key",
    };

    /// <summary>
    /// A terminal (tmux) that runs the real <c>switchboard code</c> for this run's HOME and the given Switchboard home,
    /// with the pinned Claude Code on PATH. Nonessential traffic stays allowed, because discovery needs it; a caller
    /// that does not use discovery turns it off.
    /// </summary>
    public Dictionary<string, string> TerminalEnvironment(string switchboardHome) => new()
    {
        ["HOME"] = Home,
        ["SWITCHBOARD_HOME"] = switchboardHome,
        ["DOTNET_ROOT"] = CliRunner.DotnetRoot,
        ["PATH"] = $"{Path.GetDirectoryName(ClaudeExecutable)}:/usr/local/bin:/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["TERM"] = "xterm-256color",
        ["IS_SANDBOX"] = "1",
        ["DISABLE_TELEMETRY"] = "1",
        ["DISABLE_AUTOUPDATER"] = "1",
    };

    /// <summary>
    /// An interactive session with gateway model discovery on: a terminal, a bearer token (which discovery needs), and
    /// nonessential traffic allowed, because Claude Code skips discovery while it is off. Nothing here can reach the
    /// internet anyway: every Anthropic URL points at Switchboard.
    /// </summary>
    public Dictionary<string, string> DiscoveryEnvironment(string baseUrl, string bearer)
    {
        var environment = Environment(baseUrl);
        environment.Remove("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC");
        environment.Remove("ANTHROPIC_API_KEY");
        environment["TERM"] = "xterm-256color";
        environment["DISABLE_AUTOUPDATER"] = "1";
        environment["ANTHROPIC_AUTH_TOKEN"] = bearer;
        environment["CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY"] = "1";
        return environment;
    }

    /// <summary>What an interactive run needs to go straight to the prompt: onboarding done, the folder trusted.</summary>
    public void SkipOnboardingAndTrustFolder()
    {
        var state = new System.Text.Json.Nodes.JsonObject
        {
            ["hasCompletedOnboarding"] = true,
            ["projects"] = new System.Text.Json.Nodes.JsonObject
            {
                [WorkingDirectory] = new System.Text.Json.Nodes.JsonObject
                {
                    ["hasTrustDialogAccepted"] = true,
                    ["hasCompletedProjectOnboarding"] = true,
                },
            },
        };
        File.WriteAllText(Path.Combine(Home, ".claude.json"), state.ToJsonString());
    }

    /// <summary>Where Claude Code caches what gateway discovery found.</summary>
    public string DiscoveryCacheFile => Path.Combine(Home, ".claude", "cache", "gateway-models.json");

    /// <summary>A headless <c>claude -p</c> with <c>--model</c>, through the given Switchboard.</summary>
    public Task<ChildProcess.Result> RunAsync(RunningSwitchboard switchboard, string prompt, string model) =>
        RunAsync(ClaudeExecutable, ["-p", prompt, "--model", model, "--dangerously-skip-permissions"],
            Environment(switchboard.Address.ToString().TrimEnd('/')));

    public Task<ChildProcess.Result> RunAsync(string prompt, string baseUrl) =>
        RunAsync(ClaudeExecutable, ["-p", prompt, "--dangerously-skip-permissions"], Environment(baseUrl));

    public Task<ChildProcess.Result> RunAsync(string executable, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(executable) { WorkingDirectory = WorkingDirectory };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Clear();
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return ChildProcess.RunAsync(info, TimeSpan.FromSeconds(120));
    }

    /// <summary>
    /// What a command printed, as a scripted model reads it from a tool result: Claude Code may append a
    /// system reminder after the output, so only the first line counts.
    /// </summary>
    public static string ToolOutput(string resultText) => resultText.Trim().Split('\n')[0].Trim();

    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Switchboard.sln"))) return folder.FullName;
        throw new InvalidOperationException($"No Switchboard.sln above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
