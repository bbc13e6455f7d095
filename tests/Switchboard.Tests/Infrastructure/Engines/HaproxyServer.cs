using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Tests.Infrastructure.Engines;

/// <summary>
/// A real HAProxy (Debian's <c>haproxy</c>, installed by test.sh) on a loopback port, balancing round-robin over the
/// given loopback backends with a health check on <c>GET /health</c>, as a team deployment's load balancer would. Its
/// config and admin socket live in a temporary folder; <see cref="BackendStatesAsync"/> reads what HAProxy thinks
/// of each backend, so a test waits for "UP" instead of on a clock.
/// </summary>
public sealed class HaproxyServer : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "switchboard-haproxy-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private readonly bool _tls;

    private HaproxyServer(IReadOnlyList<int> backendPorts, bool tls)
    {
        BackendPorts = backendPorts;
        _tls = tls;
        Directory.CreateDirectory(_folder);
        File.WriteAllText(ConfigPath, Config());
        var info = new ProcessStartInfo(Binary()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-db", "-f", ConfigPath }) info.ArgumentList.Add(arg);
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, line) => Keep(line.Data);
        _process.ErrorDataReceived += (_, line) => Keep(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; } = TestPorts.Free();

    public string BaseUrl => $"{(_tls ? "https" : "http")}://127.0.0.1:{Port}";

    public IReadOnlyList<int> BackendPorts { get; }

    /// <summary>HAProxy's log lines so far (start-up complaints, backends going up and down).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    private string ConfigPath => Path.Combine(_folder, "haproxy.cfg");
    private string AdminSocket => Path.Combine(_folder, "admin.sock");

    /// <summary>Starts HAProxy in front of <paramref name="backendPorts"/>; returns once its admin socket answers.</summary>
    public static Task<HaproxyServer> StartAsync(params int[] backendPorts) => StartAsync(tls: false, backendPorts);

    /// <summary>
    /// <paramref name="tls"/>: the backends serve https and HAProxy passes TLS through (TCP mode, health checks over
    /// TLS), so a client sees the replicas' own certificate, as Claude Code's pin requires.
    /// </summary>
    public static async Task<HaproxyServer> StartAsync(bool tls, params int[] backendPorts)
    {
        var haproxy = new HaproxyServer(backendPorts, tls);
        try
        {
            await Eventually.WaitAsync(async () => haproxy._process.HasExited ? "exited" : await haproxy.TryAdminAsync("show info"),
                answer => answer is "exited" || answer.Contains("Pid:", StringComparison.Ordinal),
                _ => $"haproxy to answer on its admin socket: {haproxy.Output}", TimeSpan.FromSeconds(30));
            if (haproxy._process.HasExited) throw new InvalidOperationException($"haproxy exited at start: {haproxy.Output}");
            return haproxy;
        }
        catch
        {
            await haproxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>Each backend's health as HAProxy sees it ("UP", "DOWN", "UP 1/2"…), in the order given.</summary>
    public async Task<IReadOnlyList<string>> BackendStatesAsync()
    {
        // "show stat" is CSV: pxname,svname,…,status (column 18),…; backends are named b0, b1… in config order.
        var csv = await TryAdminAsync("show stat");
        var header = csv.Split('\n')[0].TrimStart('#', ' ').Split(',');
        var status = Array.IndexOf(header, "status");
        var rows = csv.Split('\n').Select(line => line.Split(',')).Where(row => row.Length > status && row[0] == "replicas").ToList();
        return BackendPorts.Select((_, i) => rows.FirstOrDefault(row => row[1] == $"b{i}")?[status] ?? "missing").ToList();
    }

    /// <summary>Waits until HAProxy's health check says every backend is <paramref name="state"/> ("UP" or "DOWN").</summary>
    public Task WaitForBackendsAsync(string state, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(BackendStatesAsync, states => states.All(s => s == state),
            states => $"every backend {state} (now {string.Join(", ", states)})", timeout ?? TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }
        finally
        {
            _process.Dispose();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private string Config()
    {
        var config = new StringBuilder($"""
            global
              stats socket {AdminSocket} mode 600 level admin
              maxconn 512
            defaults
              mode {(_tls ? "tcp" : "http")}
              timeout connect 2s
              timeout client 120s
              timeout server 120s
            frontend gateway
              bind 127.0.0.1:{Port}
              default_backend replicas
            backend replicas
              balance roundrobin
              option httpchk GET /health
              http-check expect status 200
              default-server inter 300ms fall 2 rise 1
            """);
        config.Append('\n');
        for (var i = 0; i < BackendPorts.Count; i++)
            config.Append(CultureInfo.InvariantCulture, $"  server b{i} 127.0.0.1:{BackendPorts[i]} check{(_tls ? " check-ssl verify none" : "")}\n");
        return config.ToString();
    }

    /// <summary>One admin-socket command's answer, or "" while the socket is not there yet.</summary>
    private async Task<string> TryAdminAsync(string command)
    {
        if (!File.Exists(AdminSocket)) return "";
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(AdminSocket));
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"));
            using var reader = new StreamReader(stream, Encoding.ASCII);
            return await reader.ReadToEndAsync();
        }
        catch (SocketException)
        {
            return "";
        }
    }

    private void Keep(string? line)
    {
        if (line is not null) lock (_output) _output.AppendLine(line);
    }

    private static string Binary() =>
        File.Exists("/usr/sbin/haproxy") ? "/usr/sbin/haproxy"
            : throw new InvalidOperationException("haproxy is not at /usr/sbin/haproxy: install Debian's haproxy package (./test.sh does).");
}
