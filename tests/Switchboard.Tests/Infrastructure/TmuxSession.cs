using System.Diagnostics;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// An interactive program in a detached tmux session on a private tmux server: keys go in with send-keys, the screen
/// comes back with capture-pane. Waits poll the screen until a condition holds or a deadline passes, and a failed
/// wait reports the last screen. tmux missing fails the test with how to install it.
/// </summary>
public sealed class TmuxSession : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);
    private readonly string _socket = "switchboard-test-" + Guid.NewGuid().ToString("N")[..10];
    private const string Target = "main";

    private TmuxSession() { }

    /// <summary>Starts <paramref name="command"/> in a 160×50 terminal, with exactly <paramref name="environment"/>.</summary>
    public static async Task<TmuxSession> StartAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, IEnumerable<string> command)
    {
        if (!File.Exists("/usr/bin/tmux") && !File.Exists("/usr/local/bin/tmux"))
            throw new InvalidOperationException("tmux is not installed; ./test.sh installs it (apt-get install tmux).");
        var session = new TmuxSession();
        // env -i: the program sees the test's environment only, not whatever the tmux server inherited.
        var args = new List<string> { "new-session", "-d", "-s", Target, "-x", "160", "-y", "50", "-c", workingDirectory, "env", "-i" };
        args.AddRange(environment.Select(pair => $"{pair.Key}={pair.Value}"));
        args.AddRange(command);
        await session.TmuxAsync(args);
        // Keep the pane after the program exits, so a crash leaves its last words on the screen.
        await session.TmuxAsync(["set-option", "-t", Target, "remain-on-exit", "on"]);
        return session;
    }

    public Task SendKeysAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", Target, .. keys]);

    /// <summary>Types text literally (no key-name lookup), without pressing Enter.</summary>
    public Task TypeAsync(string text) => TmuxAsync(["send-keys", "-t", Target, "-l", text]);

    public async Task<string> CaptureAsync() => (await TmuxAsync(["capture-pane", "-p", "-t", Target])).Stdout;

    /// <summary>Polls the screen until <paramref name="condition"/> holds; returns that screen.</summary>
    public Task<string> WaitForScreenAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(CaptureAsync, condition, screen => $"{what}. The screen:\n{screen}", timeout);

    public Task<string> WaitForTextAsync(string text, TimeSpan? timeout = null) =>
        WaitForScreenAsync(screen => screen.Contains(text, StringComparison.Ordinal), $"\"{text}\" on screen", timeout);

    private async Task<ChildProcess.Result> TmuxAsync(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("tmux");
        info.ArgumentList.Add("-L");
        info.ArgumentList.Add(_socket);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var result = await ChildProcess.RunAsync(info, CommandTimeout);
        if (result.ExitCode != 0) throw new InvalidOperationException($"tmux {string.Join(' ', info.ArgumentList)} failed: {result}");
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        try { await TmuxAsync(["kill-server"]); }
        catch (InvalidOperationException) { } // already gone
    }
}
