using Npgsql;
using Switchboard.Ledger;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team.Ledger;

/// <summary>
/// The team ledger's reads: the same figures the SQLite file gives one user, over every replica's requests, and
/// groupable by who asked. Users, groups and keys are shown as people know them (email, group name, key prefix);
/// a row whose user or key has since been deleted keeps its id. The reads are synchronous like the file's: they
/// serve the dashboard, <c>/metrics</c> and the CLI, never the request path.
/// </summary>
internal sealed class TeamLedgerReader(NpgsqlDataSource database) : IUsageReader
{
    private const string Callers = """
        FROM requests r LEFT JOIN users u ON u.id = r.user_id LEFT JOIN groups g ON g.id = r.group_id
          LEFT JOIN api_keys k ON k.id = r.key_id
        WHERE r.time >= $1 AND r.time < $2
        """;

    public bool KnowsCallers => true;

    public IReadOnlyList<RequestRecord> Recent(DateTimeOffset from, DateTimeOffset to, int limit)
    {
        using var connection = TeamDatabase.Open(database);
        using var command = Command(connection, """
            SELECT r.time, r.session, r.duty, r.rule, r.provider, r.model, r.requested_model, r.input_tokens, r.output_tokens,
              r.cache_read_tokens, r.cache_write_tokens, r.ttfb_ms, r.latency_ms, r.status, r.error, r.fallbacks, r.streamed,
              r.cost, r.requested_cost, r.replica, r.user_id, r.key_id, r.group_id
            FROM requests r WHERE r.time >= $1 AND r.time < $2 ORDER BY r.time DESC, r.id DESC LIMIT $3
            """, null, Time(from), Time(to), Value(limit));
        using var reader = command.ExecuteReader();
        var records = new List<RequestRecord>();
        while (reader.Read())
        {
            records.Add(new RequestRecord
            {
                Time = reader.GetFieldValue<DateTimeOffset>(0),
                Session = NullableText(reader, 1),
                Duty = reader.GetString(2),
                Rule = NullableText(reader, 3),
                Provider = reader.GetString(4),
                Model = reader.GetString(5),
                RequestedModel = reader.GetString(6),
                InputTokens = reader.GetInt64(7),
                OutputTokens = reader.GetInt64(8),
                CacheReadTokens = reader.GetInt64(9),
                CacheWriteTokens = reader.GetInt64(10),
                TimeToFirstByteMs = reader.IsDBNull(11) ? null : reader.GetInt32(11),
                LatencyMs = reader.GetInt32(12),
                Status = reader.GetInt32(13),
                Error = NullableText(reader, 14),
                Fallbacks = reader.GetInt32(15),
                Streamed = reader.GetBoolean(16),
                Cost = reader.IsDBNull(17) ? null : reader.GetDouble(17),
                RequestedCost = reader.IsDBNull(18) ? null : reader.GetDouble(18),
                Replica = reader.GetString(19),
                UserId = NullableGuid(reader, 20),
                KeyId = NullableGuid(reader, 21),
                GroupId = NullableGuid(reader, 22),
            });
        }
        return records;
    }

    public IReadOnlyList<UsageTotals> Totals(DateTimeOffset from, DateTimeOffset to, UsageGrouping by) =>
        Aggregate(Column(by), from, to, bucket: null, reader => new UsageTotals { Key = reader.IsDBNull(0) ? "" : reader.GetString(0) });

    public IReadOnlyList<UsageTotals> Series(DateTimeOffset from, DateTimeOffset to, TimeSpan bucket, UsageGrouping by)
    {
        var bucketMs = (long)bucket.TotalMilliseconds;
        return Aggregate($"floor(extract(epoch FROM r.time - $1) * 1000 / $3)::bigint, {Column(by)}", from, to, bucketMs,
            reader => new UsageTotals
            {
                Bucket = from.AddMilliseconds(reader.GetInt64(0) * bucketMs),
                Key = reader.IsDBNull(1) ? "" : reader.GetString(1),
            });
    }

    public IReadOnlyDictionary<string, (List<long> Latency, List<long> FirstByte)> Latencies(
        DateTimeOffset from, DateTimeOffset to, UsageGrouping by)
    {
        using var connection = TeamDatabase.Open(database);
        using var command = Command(connection, $"SELECT {Column(by)}, r.latency_ms, r.ttfb_ms {Callers}", null, Time(from), Time(to));
        using var reader = command.ExecuteReader();
        var result = new Dictionary<string, (List<long>, List<long>)>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var key = reader.IsDBNull(0) ? "" : reader.GetString(0);
            if (!result.TryGetValue(key, out var lists)) result[key] = lists = ([], []);
            lists.Item1.Add(reader.GetInt32(1));
            if (!reader.IsDBNull(2)) lists.Item2.Add(reader.GetInt32(2));
        }
        return result;
    }

    private List<UsageTotals> Aggregate(string select, DateTimeOffset from, DateTimeOffset to, long? bucket,
        Func<NpgsqlDataReader, UsageTotals> key)
    {
        using var connection = TeamDatabase.Open(database);
        var (groups, order, first) = bucket is null
            ? ("1", "ORDER BY sum(coalesce(r.cost, 0)) DESC, count(*) DESC", 1)
            : ("1, 2", "ORDER BY 1", 2);
        using var command = Command(connection, $"""
            SELECT {select}, count(*), count(*) FILTER (WHERE r.status >= 400 OR r.error IS NOT NULL),
              coalesce(sum(r.input_tokens), 0)::bigint, coalesce(sum(r.output_tokens), 0)::bigint,
              coalesce(sum(r.cache_read_tokens), 0)::bigint, coalesce(sum(r.cache_write_tokens), 0)::bigint,
              coalesce(sum(r.cost), 0), coalesce(sum(r.requested_cost), 0), coalesce(sum(r.requested_cost - r.cost), 0),
              count(*) FILTER (WHERE r.cost IS NULL)
            {Callers} GROUP BY {groups} {order}
            """, null, Time(from), Time(to));
        if (bucket is { } ms) command.Parameters.Add(Value(ms));
        using var reader = command.ExecuteReader();
        var rows = new List<UsageTotals>();
        while (reader.Read())
        {
            rows.Add(UsageTotals.WithSums(key(reader), reader, first));
        }
        return rows;
    }

    /// <summary>What a grouping shows: a user by email, a group by name, a key by its visible prefix.</summary>
    private static string Column(UsageGrouping by) => by switch
    {
        UsageGrouping.Provider => "r.provider",
        UsageGrouping.Model => "r.provider || ':' || r.model",
        UsageGrouping.Duty => "r.duty",
        UsageGrouping.Session => "r.session",
        UsageGrouping.RequestedModel => "r.requested_model",
        UsageGrouping.User => "coalesce(u.email, r.user_id::text)",
        UsageGrouping.Group => "coalesce(g.name, r.group_id::text)",
        UsageGrouping.Key => "coalesce('sb-' || k.prefix, r.key_id::text)",
        UsageGrouping.Replica => "r.replica",
        _ => throw new ArgumentOutOfRangeException(nameof(by), by, null),
    };

    private static Guid? NullableGuid(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetGuid(column);
}
