using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Team;

/// <summary>
/// What signed-in clients send to <c>/v1/{metrics,logs,traces}</c> (OTLP/HTTP), counted per user, signal and UTC day,
/// with the <c>session.id</c> values JSON batches name, for the admin view of active users and sessions. Tallied in
/// memory on the request path and written with key use (<see cref="TeamAuthenticator.FlushActivityAsync"/>).
/// Protobuf batches are counted, not read: reading them would take an OTLP schema this build does not carry.
/// </summary>
internal sealed class TelemetryReceived
{
    public static readonly string[] Signals = ["metrics", "logs", "traces"];

    private sealed class Tally
    {
        public long Batches;
        public long Bytes;
    }

    private ConcurrentDictionary<(Guid User, string Signal, DateOnly Day), Tally> _batches = new();
    private ConcurrentDictionary<(Guid User, string Session), long> _sessions = new();

    public void Received(Guid userId, string signal, long bytes, IEnumerable<string> sessions, DateTimeOffset now)
    {
        var tally = Volatile.Read(ref _batches).GetOrAdd((userId, signal, DateOnly.FromDateTime(now.UtcDateTime)), static _ => new Tally());
        Interlocked.Increment(ref tally.Batches);
        Interlocked.Add(ref tally.Bytes, bytes);
        foreach (var session in sessions) Volatile.Read(ref _sessions)[(userId, session)] = now.UtcTicks;
    }

    /// <summary>
    /// The distinct <c>session.id</c> attribute values of an OTLP JSON batch (resource, scope, record or data point
    /// attributes alike), at most a few, or none when the body is not JSON.
    /// </summary>
    public static IReadOnlyList<string> SessionsIn(ReadOnlySpan<byte> json)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(json);
            // An attribute is {"key":"session.id","value":{"stringValue":"…"}}: after the key, the next stringValue is its value.
            var afterKey = false;
            while (reader.Read() && found.Count < 16)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) continue;
                if (reader.ValueTextEquals("key"u8))
                {
                    reader.Read();
                    afterKey = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("session.id"u8);
                }
                else if (afterKey && reader.ValueTextEquals("stringValue"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && reader.GetString() is { Length: > 0 and <= 200 } session) found.Add(session);
                    afterKey = false;
                }
            }
        }
        catch (JsonException) { }
        return [.. found];
    }

    public async Task FlushAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        var batches = Interlocked.Exchange(ref _batches, new());
        var sessions = Interlocked.Exchange(ref _sessions, new());
        if (batches.IsEmpty && sessions.IsEmpty) return;
        await InTransactionAsync(database, async (connection, transaction) =>
        {
            foreach (var ((user, signal, day), tally) in batches)
            {
                await using var upsert = Command(connection, """
                    INSERT INTO telemetry_received (user_id, signal, day, batches, bytes) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (user_id, signal, day) DO UPDATE
                    SET batches = telemetry_received.batches + EXCLUDED.batches, bytes = telemetry_received.bytes + EXCLUDED.bytes
                    """, transaction, Value(user), Value(signal), Value(day), Value(tally.Batches), Value(tally.Bytes));
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
            foreach (var ((user, session), ticks) in sessions)
            {
                await using var upsert = Command(connection, """
                    INSERT INTO telemetry_sessions (user_id, session_id, first_seen, last_seen) VALUES ($1, $2, $3, $3)
                    ON CONFLICT (user_id, session_id) DO UPDATE SET last_seen = greatest(telemetry_sessions.last_seen, EXCLUDED.last_seen)
                    """, transaction, Value(user), Value(session), Time(new DateTimeOffset(ticks, TimeSpan.Zero)));
                await upsert.ExecuteNonQueryAsync(cancellationToken);
            }
            return true;
        }, cancellationToken);
    }
}
