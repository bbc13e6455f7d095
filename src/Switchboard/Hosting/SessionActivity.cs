using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;

namespace Switchboard.Hosting;

/// <summary>
/// The last route each Claude Code session took and the tokens it sent, for <c>switchboard statusline</c>
/// (<c>GET /api/statusline?session=ID</c>). Claude Code puts its session id in <c>metadata.user_id</c>, a JSON string
/// (<c>{"device_id":…,"session_id":…}</c>). Kept in memory for the most recent sessions only.
/// </summary>
internal sealed class SessionActivity
{
    private const int MaxSessions = 256;
    private readonly ConcurrentDictionary<string, SessionLine> _sessions = new(StringComparer.Ordinal);

    public void Record(MessagesRequest request, string duty, string target, int? estimatedTokens)
    {
        if (SessionId(request.Metadata?.UserId) is not { } session) return;
        if (_sessions.Count >= MaxSessions && !_sessions.ContainsKey(session))
            foreach (var oldest in _sessions.OrderBy(pair => pair.Value.At).Take(MaxSessions / 4)) _sessions.TryRemove(oldest.Key, out _);
        _sessions.AddOrUpdate(session,
            _ => new SessionLine(duty, target, 1, estimatedTokens ?? 0, estimatedTokens ?? 0, DateTimeOffset.UtcNow),
            (_, line) => new SessionLine(duty, target, line.Requests + 1, estimatedTokens ?? line.LastInputTokens,
                line.TotalInputTokens + (estimatedTokens ?? 0), DateTimeOffset.UtcNow));
    }

    public Task HandleAsync(HttpContext context)
    {
        // Which model a session is on is the user's business: behind the client key (RequestGuard) like everything else.
        var session = context.Request.Query["session"].ToString();
        if (!_sessions.TryGetValue(session, out var line))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsJsonAsync(new StatuslineReply(session, null), HostJson.Default.StatuslineReply);
        }
        return context.Response.WriteAsJsonAsync(new StatuslineReply(session, line), HostJson.Default.StatuslineReply);
    }

    private static string? SessionId(string? userId)
    {
        if (userId is not { Length: > 0 } || userId[0] != '{') return null;
        try
        {
            using var document = JsonDocument.Parse(userId);
            return document.RootElement.TryGetProperty("session_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed record SessionLine(string Duty, string Target, int Requests, int LastInputTokens, long TotalInputTokens, DateTimeOffset At);

public sealed record StatuslineReply(string Session, SessionLine? Last);
