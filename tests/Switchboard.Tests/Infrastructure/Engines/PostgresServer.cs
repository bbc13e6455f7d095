using System.Diagnostics;
using Npgsql;

namespace Switchboard.Tests.Infrastructure.Engines;

/// <summary>
/// A real PostgreSQL (Debian's package, installed by test.sh) in a temporary folder on a loopback port, never the
/// machine's own service. PostgreSQL refuses to run as root, so as root it runs as the <c>postgres</c> user.
/// <c>pg_ctl -w</c> returns once the server accepts connections, so nothing here waits on a clock.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string User = "switchboard";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "switchboard-pg-" + Guid.NewGuid().ToString("N")[..10]);

    public int Port { get; } = TestPorts.Free();

    private string Data => Path.Combine(_folder, "data");

    /// <summary>A connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Pooling=false;Timeout=5";

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        if (RunsAsRoot) await RunAsync("chown", "postgres:postgres", _folder);
        await PgAsync("initdb", "-D", Data, "-U", User, "--auth=trust", "-E", "UTF8", "--no-sync");
        await StartAsync();
    }

    public Task StartAsync() => PgAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "30",
        "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");

    public Task StopAsync() => PgAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "30", "stop");

    /// <summary>A new, empty database of its own for one test; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        // A test may have stopped it already, to see what an outage does.
        try { if (File.Exists(Path.Combine(Data, "postmaster.pid"))) await StopAsync(); }
        finally { try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } }
    }

    private static bool RunsAsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    private static string Binary(string name)
    {
        var found = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin", name)).FirstOrDefault(File.Exists)
            : null;
        return found ?? throw new InvalidOperationException(
            $"PostgreSQL's {name} is not under /usr/lib/postgresql/*/bin: install Debian's postgresql package (./test.sh does).");
    }

    /// <summary>Runs a PostgreSQL program, as the <c>postgres</c> user when the tests run as root.</summary>
    private static Task PgAsync(string program, params string[] args) =>
        RunsAsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Binary(program), .. args]) : RunAsync(Binary(program), args);

    private static async Task RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var run = await ChildProcess.RunAsync(info, TimeSpan.FromSeconds(60));
        if (run.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {run}");
    }
}
