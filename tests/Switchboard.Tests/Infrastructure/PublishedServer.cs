using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// The published Native AOT binary running <c>serve</c> on a free loopback port, with its own home folder and its log
/// in a file there (as the daemon writes it). Tests talk HTTP to it, read its RSS from <c>/proc</c>, and on the way
/// out it is checked to be alive and to have logged no unhandled exception.
/// </summary>
public sealed partial class PublishedServer : IAsyncDisposable
{
    private readonly ProcessStartInfo _start;
    private readonly ConcurrentQueue<string> _output = new();
    private Process _process = null!;

    private PublishedServer(ProcessStartInfo start, TempHome home, int port, bool https)
    {
        _start = start;
        Home = home;
        Port = port;
        Address = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port}");
        // A replica serving https (team.tls) is reached as the load balancer's health check reaches it: whatever its
        // certificate. Tests of what a client trusts make clients of their own.
        var handler = new SocketsHttpHandler();
        if (https) handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        Client = new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public TempHome Home { get; }
    public int Port { get; }
    public Uri Address { get; }
    public HttpClient Client { get; }
    public int Pid => _process.Id;
    public string LogFile => Path.Combine(Home.Folder, "switchboard.log");

    /// <summary>The log file as it stands, plus anything the process wrote to its own stdout and stderr.</summary>
    public string Log => (File.Exists(LogFile) ? ReadShared(LogFile) : "") + string.Join("\n", _output);

    /// <summary>Starts the binary with <paramref name="configJson"/> as its config; waits until <c>/health</c> answers.</summary>
    public static async Task<PublishedServer> StartAsync(string configJson, IReadOnlyDictionary<string, string>? environment = null,
        params string[] extraArgs) =>
        await StartAsync(await PublishedBinary.ExecutableAsync(), configJson, environment?.ToDictionary(pair => pair.Key, string? (pair) => pair.Value), extraArgs);

    /// <summary>
    /// Starts the build next to the tests (JIT, no publish to wait for) with <paramref name="environment"/> as the only
    /// difference from this process's (a null value removes a variable): for a test about what the server reads from its
    /// environment, which must not set variables for the whole test process.
    /// </summary>
    public static Task<PublishedServer> StartBuiltAsync(string configJson, IReadOnlyDictionary<string, string?> environment, bool https = false) =>
        StartAsync(CliRunner.Executable, configJson, new Dictionary<string, string?>(environment) { ["DOTNET_ROOT"] = CliRunner.DotnetRoot }, [], https);

    private static async Task<PublishedServer> StartAsync(string executable, string configJson, IReadOnlyDictionary<string, string?>? environment,
        string[] extraArgs, bool https = false)
    {
        var home = new TempHome();
        home.WriteConfig(configJson);
        var port = TestPorts.Free();
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "serve", "--port", port.ToString(), "--log-file", Path.Combine(home.Folder, "switchboard.log") }.Concat(extraArgs))
            info.ArgumentList.Add(arg);
        info.Environment["SWITCHBOARD_HOME"] = home.Folder;
        info.Environment.Remove(global::Switchboard.Providers.Anthropic.SubscriptionToken.EnvironmentVariable);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        var server = new PublishedServer(info, home, port, https);
        await server.LaunchAsync();
        return server;
    }

    /// <summary>Starts the process (again, after a kill: the same binary, port, home and environment); waits for <c>/health</c>.</summary>
    private async Task LaunchAsync()
    {
        var process = Process.Start(_start)!;
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitForHealthAsync();
    }

    /// <summary>Resident memory now (VmRSS), in MB.</summary>
    public double RssMegabytes() => StatusField("VmRSS");

    /// <summary>The most resident memory the process has had (VmHWM), in MB.</summary>
    public double PeakRssMegabytes() => StatusField("VmHWM");

    /// <summary>TCP connections the process holds open to <paramref name="port"/> (its upstream side), from /proc.</summary>
    public int ConnectionsTo(int port) => LoopbackConnections.OpenBy(Pid, remotePort: port);

    public bool HasExited => _process.HasExited;

    /// <summary>What would make the run a failure: the process died, or its log shows an unhandled exception.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (_process.HasExited) problems.Add($"the daemon exited with {_process.ExitCode}");
        foreach (Match match in UnhandledException().Matches(Log)) problems.Add("the log shows an unhandled exception: " + match.Value.Trim());
        return problems;
    }

    /// <summary>Throws <see cref="CrashException"/> if the daemon died or logged an unhandled exception.</summary>
    public void EnsureHealthy()
    {
        if (Problems() is { Count: > 0 } problems) throw new CrashException(string.Join("\n", problems) + "\n--- log\n" + Log);
    }

    private double StatusField(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return double.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]) / 1024;
        throw new InvalidOperationException($"/proc/{Pid}/status has no {field}");
    }

    private async Task WaitForHealthAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the published binary exited with {_process.ExitCode}:\n{Log}");
            try
            {
                using var health = await Client.GetAsync("/health");
                if (health.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"the published binary did not answer /health within 30 s:\n{Log}");
    }

    private static string ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Home.Dispose();
    }

    /// <summary>What .NET's loggers print for an exception nobody handled: a stack frame, or the words themselves.</summary>
    [GeneratedRegex(@"(?m)^\s+at [A-Za-z_][\w.`<>]*\(.*$|Unexpected failure handling[^\n]*|unhandled exception[^\n]*", RegexOptions.IgnoreCase)]
    private static partial Regex UnhandledException();
}
