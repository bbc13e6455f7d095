using System.Diagnostics;

namespace Switchboard.Tests.Infrastructure.Engines;

/// <summary>
/// A real Redis (Debian's <c>redis-server</c>, installed by test.sh) in a temporary folder on a loopback port, never
/// the machine's own service. Nothing is saved to disk unless <see cref="Persistent"/>; <see cref="StopAsync"/> and
/// <see cref="StartAsync"/> take it down and bring it back on the same port, for outage tests. Start returns when the
/// server logs "Ready to accept connections", so nothing here waits on a clock.
/// </summary>
public class RedisServer : IAsyncLifetime
{
    private const string ReadyLine = "Ready to accept connections";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "switchboard-redis-" + Guid.NewGuid().ToString("N")[..10]);
    private Process? _process;

    public int Port { get; } = TestPorts.Free();

    /// <summary>When set, clients must send it (<c>requirepass</c>).</summary>
    public string? Password { get; init; }

    /// <summary>Keep data across <see cref="StopAsync"/>/<see cref="StartAsync"/> (append-only file in the temp folder).</summary>
    public bool Persistent { get; init; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The <c>team.redis</c> URL for this server.</summary>
    public string Url => Password is null ? $"redis://127.0.0.1:{Port}" : $"redis://:{Password}@127.0.0.1:{Port}";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await StartAsync();
    }

    public async Task StartAsync()
    {
        if (IsRunning) throw new InvalidOperationException("redis-server is already running");
        var info = new ProcessStartInfo(Binary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in Arguments()) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        _process = process;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null) return;
            lock (output) output.AppendLine(line.Data);
            if (line.Data.Contains(ReadyLine, StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) lock (output) output.AppendLine(line.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"redis-server exited at start: {Snapshot(output)}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try { await ready.Task.WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (TimeoutException) { throw new TimeoutException($"redis-server did not say it was ready within 30 s: {Snapshot(output)}"); }
    }

    /// <summary>Stops the server (SIGTERM, as a service manager would) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        if (!process.HasExited)
        {
            Signal(process.Id);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { process.Kill(); await process.WaitForExitAsync(); }
        }
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        finally { try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
        GC.SuppressFinalize(this);
    }

    private IEnumerable<string> Arguments()
    {
        // Loopback only, no config file; logfile "" is stdout, where the ready line is read.
        string[] common = ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--dir", _folder, "--logfile", "", "--daemonize", "no", "--save", "", "--databases", "16"];
        string[] persistence = Persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
        string[] auth = Password is null ? [] : ["--requirepass", Password];
        return [.. common, .. persistence, .. auth];
    }

    private static string Snapshot(System.Text.StringBuilder output) { lock (output) return output.ToString(); }

    private static void Signal(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }

    private static string Binary() =>
        File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server"
            : throw new InvalidOperationException("redis-server is not at /usr/bin/redis-server: install Debian's redis-server package (./test.sh does).");
}
