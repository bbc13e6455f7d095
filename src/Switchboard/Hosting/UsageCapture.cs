using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;
using Switchboard.Ledger;
using Switchboard.Routing;

namespace Switchboard.Hosting;

/// <summary>
/// What one Messages request did, gathered while it runs: the endpoint says where it routed it
/// (<see cref="Routed"/>), the reply writer lets the reply pass through <see cref="Watch(HttpContext, IAsyncEnumerable{StreamEvent})"/>
/// and <see cref="Watch(HttpContext, Stream, bool)"/>, and <see cref="Recording"/> hands the finished record to the
/// recorder. It travels as an HTTP feature, so none of those signatures change.
/// </summary>
internal sealed class UsageCapture(TimeProvider time, long started, DateTimeOffset startedAt, string? sessionHeader)
{
    public const string SessionHeader = "x-claude-code-session-id";

    private long? _firstByte;
    private string? _session = string.IsNullOrWhiteSpace(sessionHeader) ? null : sessionHeader;
    private string? _requestedModel;
    private ModelTarget? _target;
    private bool _streamed;

    public ReplyUsage Reply { get; } = new();

    /// <summary>Why the request went where it did; routing fills these in.</summary>
    public string Duty { get; set; } = Routing.Duties.Default;
    public string? Rule { get; set; }
    public int Fallbacks { get; set; }

    /// <summary>Team mode: the group the request named as its billing group (one of the caller's), charged instead of the first.</summary>
    public Guid? BillingGroupId { get; set; }

    public static UsageCapture? Of(HttpContext context) => context.Features.Get<UsageCapture>();

    /// <summary>The endpoint's one call: what was asked for and where it goes.</summary>
    public void Routed(MessagesRequest request, string requestedModel, ModelTarget target, bool streamed)
    {
        _requestedModel = requestedModel;
        _target = target;
        _streamed = streamed;
        _session ??= SessionOf(request.Metadata?.UserId);
    }

    public static IAsyncEnumerable<StreamEvent> Watch(HttpContext context, IAsyncEnumerable<StreamEvent> events) =>
        Of(context) is { } capture ? capture.Reply.Watch(events, context.RequestAborted) : events;

    public static Stream Watch(HttpContext context, Stream body, bool eventStream) =>
        Of(context) is { } capture ? capture.Reply.Watch(body, eventStream) : body;

    /// <summary>
    /// Wraps an endpoint so each request that got as far as a provider is recorded once it has been answered.
    /// Requests refused before routing (a wrong key, a malformed body) are not usage and are not recorded.
    /// </summary>
    /// <param name="teamMode">Whether the record names its caller (<see cref="Team.TeamCaller"/>); the local path never looks.</param>
    public static RequestDelegate Recording(RequestDelegate endpoint, IUsageRecorder recorder, TimeProvider time, bool teamMode = false) => async context =>
    {
        var capture = new UsageCapture(time, time.GetTimestamp(), time.GetUtcNow(), context.Request.Headers[SessionHeader]);
        context.Features.Set(capture);
        context.Response.OnStarting(() =>
        {
            capture._firstByte ??= time.GetTimestamp();
            return Task.CompletedTask;
        });
        try
        {
            await endpoint(context);
        }
        finally
        {
            if (capture.ToRecord(context, teamMode) is { } record) recorder.Record(record);
        }
    };

    /// <summary>The record of the request so far (unpriced), or null when it never reached a provider.</summary>
    internal RequestRecord? ToRecord(HttpContext context, bool teamMode)
    {
        if (_target is null || _requestedModel is null) return null;
        // The group billed is the first of the caller's groups (they come ordered by name), until groups say otherwise.
        var caller = teamMode ? Team.TeamCaller.Of(context) : null;
        var aborted = context.RequestAborted.IsCancellationRequested;
        var status = aborted ? StatusClientClosed : context.Response.StatusCode;
        var error = aborted ? "client_closed" : Reply.Error ?? (status >= 400 ? AnthropicError.TypeForStatus(status) : null);
        return new RequestRecord
        {
            Time = startedAt,
            Session = _session,
            Duty = Duty,
            Rule = Rule,
            Provider = _target.Provider,
            Model = _target.Model,
            RequestedModel = _requestedModel,
            InputTokens = Reply.InputTokens,
            OutputTokens = Reply.OutputTokens,
            CacheReadTokens = Reply.CacheReadTokens,
            CacheWriteTokens = Reply.CacheWriteTokens,
            TimeToFirstByteMs = _firstByte is { } first ? Milliseconds(started, first) : null,
            LatencyMs = Milliseconds(started, time.GetTimestamp()),
            Status = status,
            Error = error,
            Fallbacks = Fallbacks,
            Streamed = _streamed,
            UserId = caller?.UserId,
            KeyId = caller?.KeyId,
            GroupId = BillingGroupId ?? (caller is { GroupIds.Count: > 0 } ? caller.GroupIds[0] : null),
        };
    }

    /// <summary>The status nginx made the convention for a client that left before its answer.</summary>
    public const int StatusClientClosed = 499;

    private long Milliseconds(long from, long to) => (long)time.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>
    /// Claude Code's <c>metadata.user_id</c> ends in <c>_session_&lt;uuid&gt;</c> (older versions) or is JSON with a
    /// <c>session_id</c> (newer ones); anything else is taken whole.
    /// </summary>
    internal static string? SessionOf(string? userId)
    {
        if (string.IsNullOrWhiteSpace(userId)) return null;
        const string marker = "_session_";
        var at = userId.LastIndexOf(marker, StringComparison.Ordinal);
        if (at >= 0) return userId[(at + marker.Length)..];
        if (userId.StartsWith('{'))
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(userId);
                if (document.RootElement.TryGetProperty("session_id", out var id) && id.GetString() is { Length: > 0 } session)
                    return session;
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }
        return userId;
    }
}
