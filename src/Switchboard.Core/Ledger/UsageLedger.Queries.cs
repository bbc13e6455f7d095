using Microsoft.Data.Sqlite;

namespace Switchboard.Ledger;

/// <summary>The ledger's reads: recent requests, totals and series by a grouping, and latencies.</summary>
public sealed partial class UsageLedger : IUsageReader
{
    /// <summary>The file is one user's: it records no caller, so grouping by one puts everything under "".</summary>
    public bool KnowsCallers => false;

    /// <summary>Requests in [from, to), newest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<RequestRecord> Recent(DateTimeOffset from, DateTimeOffset to, int limit)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT time, session, duty, rule, provider, model, requested_model, input_tokens, output_tokens, cache_read_tokens,
              cache_write_tokens, ttfb_ms, latency_ms, status, error, fallbacks, streamed, cost, requested_cost
            FROM requests WHERE time >= $from AND time < $to ORDER BY time DESC, id DESC LIMIT $limit;
            """;
        AddRange(command, from, to);
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var records = new List<RequestRecord>();
        while (reader.Read())
        {
            records.Add(new RequestRecord
            {
                Time = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                Session = reader.IsDBNull(1) ? null : reader.GetString(1),
                Duty = reader.GetString(2),
                Rule = reader.IsDBNull(3) ? null : reader.GetString(3),
                Provider = reader.GetString(4),
                Model = reader.GetString(5),
                RequestedModel = reader.GetString(6),
                InputTokens = reader.GetInt64(7),
                OutputTokens = reader.GetInt64(8),
                CacheReadTokens = reader.GetInt64(9),
                CacheWriteTokens = reader.GetInt64(10),
                TimeToFirstByteMs = reader.IsDBNull(11) ? null : reader.GetInt64(11),
                LatencyMs = reader.GetInt64(12),
                Status = reader.GetInt32(13),
                Error = reader.IsDBNull(14) ? null : reader.GetString(14),
                Fallbacks = reader.GetInt32(15),
                Streamed = reader.GetInt64(16) != 0,
                Cost = reader.IsDBNull(17) ? null : reader.GetDouble(17),
                RequestedCost = reader.IsDBNull(18) ? null : reader.GetDouble(18),
            });
        }
        return records;
    }

    /// <summary>Totals per value of <paramref name="by"/> over [from, to), the costliest first.</summary>
    public IReadOnlyList<UsageTotals> Totals(DateTimeOffset from, DateTimeOffset to, UsageGrouping by)
    {
        var column = Column(by);
        return Aggregate($"{column}", $"{column}", from, to, bucketMs: null, reader => new UsageTotals
        {
            Key = reader.IsDBNull(0) ? "" : reader.GetString(0),
        });
    }

    /// <summary>Totals per time bucket and value of <paramref name="by"/>, oldest bucket first.</summary>
    public IReadOnlyList<UsageTotals> Series(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, UsageGrouping by)
    {
        var column = Column(by);
        var bucketMs = (long)bucket.TotalMilliseconds;
        return Aggregate($"(time - $from) / $bucket, {column}", $"(time - $from) / $bucket, {column}", from, to, bucketMs,
            reader => new UsageTotals
            {
                Bucket = from.AddMilliseconds(reader.GetInt64(0) * bucketMs),
                Key = reader.IsDBNull(1) ? "" : reader.GetString(1),
            });
    }

    /// <summary>Latency and time-to-first-byte in milliseconds per value of <paramref name="by"/>, for percentiles.</summary>
    public IReadOnlyDictionary<string, (List<long> Latency, List<long> FirstByte)> Latencies(
        DateTimeOffset from, DateTimeOffset to, UsageGrouping by)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Column(by)}, latency_ms, ttfb_ms FROM requests WHERE time >= $from AND time < $to;";
        AddRange(command, from, to);
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, (List<long>, List<long>)>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var key = reader.IsDBNull(0) ? "" : reader.GetString(0);
            if (!result.TryGetValue(key, out var lists)) result[key] = lists = ([], []);
            lists.Item1.Add(reader.GetInt64(1));
            if (!reader.IsDBNull(2)) lists.Item2.Add(reader.GetInt64(2));
        }
        return result;
    }

    private List<UsageTotals> Aggregate(string select, string groupBy, DateTimeOffset from, DateTimeOffset to, long? bucketMs,
        Func<SqliteDataReader, UsageTotals> key)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        var order = bucketMs is null ? "ORDER BY SUM(cost) DESC, COUNT(*) DESC" : "ORDER BY 1";
        command.CommandText = $"""
            SELECT {select}, COUNT(*), SUM(status >= 400 OR error IS NOT NULL), SUM(input_tokens), SUM(output_tokens),
              SUM(cache_read_tokens), SUM(cache_write_tokens), TOTAL(cost), TOTAL(requested_cost),
              TOTAL(CASE WHEN cost IS NOT NULL AND requested_cost IS NOT NULL THEN requested_cost - cost END),
              SUM(cost IS NULL)
            FROM requests WHERE time >= $from AND time < $to GROUP BY {groupBy} {order};
            """;
        AddRange(command, from, to);
        if (bucketMs is { } ms) command.Parameters.AddWithValue("$bucket", ms);
        using var reader = command.ExecuteReader();
        var rows = new List<UsageTotals>();
        var first = bucketMs is null ? 1 : 2;
        while (reader.Read())
        {
            rows.Add(UsageTotals.WithSums(key(reader), reader, first));
        }
        return rows;
    }

    private static string Column(UsageGrouping by) => by switch
    {
        UsageGrouping.Provider => "provider",
        UsageGrouping.Model => "provider || ':' || model",
        UsageGrouping.Duty => "duty",
        UsageGrouping.Session => "session",
        UsageGrouping.RequestedModel => "requested_model",
        UsageGrouping.User or UsageGrouping.Group or UsageGrouping.Key or UsageGrouping.Replica => "NULL",
        _ => throw new ArgumentOutOfRangeException(nameof(by), by, null),
    };

    private static void AddRange(SqliteCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
    }
}
