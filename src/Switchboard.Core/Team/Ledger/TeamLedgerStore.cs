using System.Net.Sockets;
using Npgsql;
using Switchboard.Ledger;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team.Ledger;

/// <summary>
/// The team ledger's writes: one batch is one statement, the batch's columns sent as arrays and unnested, so a batch
/// of 500 costs one round trip. Rows are keyed by the id the writer gave each record, and a row already there is
/// left alone (<c>ON CONFLICT (id) DO NOTHING</c>): a batch sent again because its first answer was lost is counted
/// once. The replica's id is read when a batch is written, since a replica listening on port 0 knows it only then.
/// </summary>
internal sealed class TeamLedgerStore(NpgsqlDataSource database, Func<string> replica) : ILedgerStore
{
    /// <summary>How the team ledger's writer treats a refused batch: a database away for a while is waited for.</summary>
    public static readonly LedgerRetry Retry = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), IsTransient);

    private const string Insert = """
        INSERT INTO requests (id, time, replica, user_id, key_id, group_id, session, duty, rule, provider, model, requested_model,
          input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, ttfb_ms, latency_ms, status, error, fallbacks,
          streamed, cost, requested_cost)
        SELECT r.id, r.time, $24, r.user_id, r.key_id, r.group_id, r.session, r.duty, r.rule, r.provider, r.model, r.requested_model,
          r.input_tokens, r.output_tokens, r.cache_read_tokens, r.cache_write_tokens, r.ttfb_ms::integer, r.latency_ms::integer,
          r.status, r.error, r.fallbacks, r.streamed, r.cost, r.requested_cost
        FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[],
          $9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[],
          $17::bigint[], $18::integer[], $19::text[], $20::integer[], $21::boolean[], $22::float8[], $23::float8[])
          AS r(id, time, user_id, key_id, group_id, session, duty, rule, provider, model, requested_model, input_tokens,
            output_tokens, cache_read_tokens, cache_write_tokens, ttfb_ms, latency_ms, status, error, fallbacks, streamed,
            cost, requested_cost)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>Writes the batch; returns how many rows were new (the rest were there from an earlier attempt).</summary>
    public async Task<int> WriteAsync(IReadOnlyList<RequestRecord> records, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return 0;
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var command = Command(connection, Insert, null,
            Value(ids.ToArray()),
            Value(Column(records, r => r.Time.ToUniversalTime())),
            Value(Column(records, r => r.UserId)),
            Value(Column(records, r => r.KeyId)),
            Value(Column(records, r => r.GroupId)),
            Value(Column(records, r => Clean(r.Session))),
            Value(Column(records, r => Clean(r.Duty))),
            Value(Column(records, r => Clean(r.Rule))),
            Value(Column(records, r => Clean(r.Provider))),
            Value(Column(records, r => Clean(r.Model))),
            Value(Column(records, r => Clean(r.RequestedModel))),
            Value(Column(records, r => r.InputTokens)),
            Value(Column(records, r => r.OutputTokens)),
            Value(Column(records, r => r.CacheReadTokens)),
            Value(Column(records, r => r.CacheWriteTokens)),
            Value(Column(records, r => r.TimeToFirstByteMs)),
            Value(Column(records, r => r.LatencyMs)),
            Value(Column(records, r => r.Status)),
            Value(Column(records, r => Clean(r.Error))),
            Value(Column(records, r => r.Fallbacks)),
            Value(Column(records, r => r.Streamed)),
            Value(Column(records, r => r.Cost)),
            Value(Column(records, r => r.RequestedCost)),
            Text(replica()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    Task ILedgerStore.AppendAsync(IReadOnlyList<RequestRecord> records, IReadOnlyList<Guid> ids, CancellationToken cancellationToken) =>
        WriteAsync(records, ids, cancellationToken);

    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await TeamDatabase.OpenAsync(database, cancellationToken);
        await using var command = Command(connection, "DELETE FROM requests WHERE time < $1", null, Time(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Whether sending the batch again can succeed: the server unreachable, restarting or short of resources, yes;
    /// PostgreSQL refusing the data itself, no (it would refuse it forever and hold up every record behind it).
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState[..2] is "08" or "53" or "57" or "40",
        TeamStoreException or NpgsqlException or SocketException or TimeoutException or IOException => true,
        _ => false,
    };

    private static T[] Column<T>(IReadOnlyList<RequestRecord> records, Func<RequestRecord, T> value)
    {
        var column = new T[records.Count];
        for (var i = 0; i < column.Length; i++) column[i] = value(records[i]);
        return column;
    }

    /// <summary>PostgreSQL's text cannot hold NUL, which a client's JSON can (a model name): dropped, not the record.</summary>
    private static string? Clean(string? text) => text is not null && text.Contains('\0') ? text.Replace("\0", "", StringComparison.Ordinal) : text;
}
