using Microsoft.Data.Sqlite;

namespace Switchboard.Ledger;

/// <summary>
/// The ledger's SQLite file (<c>usage.db</c> in the home folder): one row per request. Each call opens a pooled
/// connection of its own, so the background writer and the readers (dashboard, <c>switchboard usage</c>, another
/// process) never share one; WAL mode lets them read while it writes. Here: the file, its schema and the writes; the
/// dashboard's and <c>usage</c>'s reads are in <c>UsageLedger.Queries.cs</c>.
/// </summary>
public sealed partial class UsageLedger : ILedgerStore
{
    public const string FileName = "usage.db";
    private const int SchemaVersion = 1;

    private readonly string _connectionString;

    private UsageLedger(string file)
    {
        File = file;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true }.ToString();
    }

    public string File { get; }

    /// <summary>Opens (creating when missing) the ledger at <paramref name="file"/>.</summary>
    public static UsageLedger Open(string file)
    {
        var ledger = new UsageLedger(file);
        using var connection = ledger.Connect();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS requests (
              id INTEGER PRIMARY KEY,
              time INTEGER NOT NULL,
              session TEXT,
              duty TEXT NOT NULL,
              rule TEXT,
              provider TEXT NOT NULL,
              model TEXT NOT NULL,
              requested_model TEXT NOT NULL,
              input_tokens INTEGER NOT NULL,
              output_tokens INTEGER NOT NULL,
              cache_read_tokens INTEGER NOT NULL,
              cache_write_tokens INTEGER NOT NULL,
              ttfb_ms INTEGER,
              latency_ms INTEGER NOT NULL,
              status INTEGER NOT NULL,
              error TEXT,
              fallbacks INTEGER NOT NULL,
              streamed INTEGER NOT NULL,
              cost REAL,
              requested_cost REAL);
            CREATE INDEX IF NOT EXISTS requests_time ON requests(time);
            """);
        Execute(connection, $"PRAGMA user_version = {SchemaVersion};");
        return ledger;
    }

    /// <summary>Opens the ledger only if it exists (for readers that must not create one).</summary>
    public static UsageLedger? OpenExisting(string file) => System.IO.File.Exists(file) ? Open(file) : null;

    internal SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    /// <summary>The file keys rows by its own row id: the writer's ids matter only to stores that retry.</summary>
    Task ILedgerStore.AppendAsync(IReadOnlyList<RequestRecord> records, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        Append(records);
        return Task.CompletedTask;
    }

    Task<int> ILedgerStore.DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        Task.FromResult(DeleteBefore(cutoff));

    /// <summary>Appends records in one transaction.</summary>
    public void Append(IReadOnlyCollection<RequestRecord> records)
    {
        if (records.Count == 0) return;
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO requests (time, session, duty, rule, provider, model, requested_model, input_tokens, output_tokens,
              cache_read_tokens, cache_write_tokens, ttfb_ms, latency_ms, status, error, fallbacks, streamed, cost, requested_cost)
            VALUES ($time, $session, $duty, $rule, $provider, $model, $requested, $input, $output, $cacheRead, $cacheWrite,
              $ttfb, $latency, $status, $error, $fallbacks, $streamed, $cost, $requestedCost);
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "time", "session", "duty", "rule", "provider", "model", "requested", "input", "output",
                     "cacheRead", "cacheWrite", "ttfb", "latency", "status", "error", "fallbacks", "streamed", "cost", "requestedCost" })
            p[name] = insert.Parameters.Add(new SqliteParameter("$" + name, null));
        insert.Prepare();
        foreach (var r in records)
        {
            p["time"].Value = r.Time.ToUnixTimeMilliseconds();
            p["session"].Value = (object?)r.Session ?? DBNull.Value;
            p["duty"].Value = r.Duty;
            p["rule"].Value = (object?)r.Rule ?? DBNull.Value;
            p["provider"].Value = r.Provider;
            p["model"].Value = r.Model;
            p["requested"].Value = r.RequestedModel;
            p["input"].Value = r.InputTokens;
            p["output"].Value = r.OutputTokens;
            p["cacheRead"].Value = r.CacheReadTokens;
            p["cacheWrite"].Value = r.CacheWriteTokens;
            p["ttfb"].Value = (object?)r.TimeToFirstByteMs ?? DBNull.Value;
            p["latency"].Value = r.LatencyMs;
            p["status"].Value = r.Status;
            p["error"].Value = (object?)r.Error ?? DBNull.Value;
            p["fallbacks"].Value = r.Fallbacks;
            p["streamed"].Value = r.Streamed ? 1 : 0;
            p["cost"].Value = (object?)r.Cost ?? DBNull.Value;
            p["requestedCost"].Value = (object?)r.RequestedCost ?? DBNull.Value;
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    /// <summary>Deletes requests older than <paramref name="cutoff"/>; returns how many.</summary>
    public int DeleteBefore(DateTimeOffset cutoff)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM requests WHERE time < $cutoff;";
        command.Parameters.AddWithValue("$cutoff", cutoff.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
