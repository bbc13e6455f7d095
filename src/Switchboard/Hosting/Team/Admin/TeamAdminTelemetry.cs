using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Team;
using static Switchboard.Team.TeamSql;

namespace Switchboard.Hosting.Team.Admin;

/// <summary>
/// <c>/api/team/telemetry</c>: who has sent Claude Code telemetry in the last 24 hours, with their sessions and
/// batches, from the counts <see cref="TelemetryReceived"/> writes (this replica's are written first).
/// </summary>
internal sealed class TeamAdminTelemetry(TeamServices team)
{
    public async Task ShowAsync(HttpContext context, string actor)
    {
        var cancel = context.RequestAborted;
        await team.Authenticator.FlushActivityAsync(cancel);
        await using var connection = await TeamDatabase.OpenAsync(team.Database, cancel);
        await using var select = Command(connection, """
            SELECT u.email,
                   (SELECT count(*) FROM telemetry_sessions s WHERE s.user_id = u.id AND s.last_seen > now() - interval '24 hours'),
                   coalesce((SELECT sum(batches) FROM telemetry_received t WHERE t.user_id = u.id AND t.day >= (now() at time zone 'utc')::date - 1), 0)::bigint,
                   coalesce((SELECT sum(bytes) FROM telemetry_received t WHERE t.user_id = u.id AND t.day >= (now() at time zone 'utc')::date - 1), 0)::bigint
            FROM users u
            WHERE EXISTS (SELECT 1 FROM telemetry_received t WHERE t.user_id = u.id AND t.day >= (now() at time zone 'utc')::date - 1)
            ORDER BY u.email
            """);
        var rows = await ReadAllAsync(select, row => (Email: row.GetString(0), Sessions: row.GetInt64(1), Batches: row.GetInt64(2), Bytes: row.GetInt64(3)), cancel);
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteNumber("activeUsers", rows.Count);
        json.WriteNumber("activeSessions", rows.Sum(row => row.Sessions));
        json.WriteStartArray("users");
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteString("email", row.Email);
            json.WriteNumber("sessions", row.Sessions);
            json.WriteNumber("batches", row.Batches);
            json.WriteNumber("bytes", row.Bytes);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
