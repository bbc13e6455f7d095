using System.Diagnostics;
using System.Globalization;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Bench;

/// <summary>
/// One published Switchboard (<c>switchboard serve</c>) with a home of its own and the given config, its output sent
/// to a file by the shell (as run.sh does, so logging costs what it costs a real daemon, not a pipe this process must
/// drain on the load client's core), optionally pinned to CPUs with <c>taskset</c>. <c>exec</c> keeps the shell's
/// pid, so <see cref="Pid"/> is the daemon's for <c>/proc</c>.
/// </summary>
internal sealed class ReplicaProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ReplicaProcess(Process process, int port, string log)
    {
        _process = process;
        Port = port;
        LogPath = log;
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public int Pid => _process.Id;
    public string LogPath { get; }

    public static async Task<ReplicaProcess> StartAsync(string binary, string home, string config, string? cpus)
    {
        Directory.CreateDirectory(home);
        await File.WriteAllTextAsync(Path.Combine(home, "config.json"), config);
        var port = TestPorts.Free();
        var log = Path.Combine(home, "switchboard.log");
        var pin = string.IsNullOrEmpty(cpus) ? "" : $"taskset -c {cpus} ";
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec {pin}\"$0\" serve --port {port.ToString(CultureInfo.InvariantCulture)} > \"$1\" 2>&1");
        info.ArgumentList.Add(binary);
        info.ArgumentList.Add(log);
        info.Environment["SWITCHBOARD_HOME"] = home;  // the child's environment only
        var replica = new ReplicaProcess(Process.Start(info)!, port, log);
        try
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Eventually.WaitAsync(async () => replica._process.HasExited ? "exited" : await HealthAsync(probe, replica.BaseUrl),
                state => state is "exited" or "ok", _ => $"Switchboard on port {port} to answer /health 200: {replica.Log()}", TimeSpan.FromSeconds(60));
            if (replica._process.HasExited) throw new InvalidOperationException($"Switchboard exited at start: {replica.Log()}");
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no log)";

    private static async Task<string> HealthAsync(HttpClient probe, string baseUrl)
    {
        try
        {
            using var response = await probe.GetAsync(baseUrl + "/health");
            return response.IsSuccessStatusCode ? "ok" : $"status {(int)response.StatusCode}";
        }
        catch (HttpRequestException) { return "not listening"; }
        catch (TaskCanceledException) { return "no answer"; }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
