using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Providers;

namespace Switchboard.Hosting;

/// <summary>
/// Writes whatever a provider answered to the client: an upstream response relayed byte for byte, or an event
/// stream as SSE (with pings while the upstream is silent) or as one complete message. Once the response has begun,
/// a failure becomes an SSE <c>error</c> event and a clean close, never a torn connection.
/// </summary>
internal sealed class ReplyWriter(ILogger logger, TimeProvider time, ShutdownGrace? grace = null)
{
    private readonly UpstreamRelay _relay = new(logger);

    public async Task WriteAsync(HttpContext context, ProviderReply reply, bool streaming, TimeSpan pingInterval)
    {
        switch (reply)
        {
            case UpstreamHttpReply upstream:
                try
                {
                    if (await _relay.RelayAsync(context, upstream, streaming) is { } events)
                        await StreamAsync(context, UsageCapture.Watch(context, events.ToAsyncEnumerable()), pingInterval);
                }
                catch (Exception ex) when (IsUpstreamFailure(ex, context) && context.Response.HasStarted)
                {
                    await WriteStreamErrorAsync(context, ex);
                }
                break;
            case EventStreamReply events when streaming:
                await StreamAsync(context, events.Events, pingInterval);
                break;
            case EventStreamReply events:
                await CompleteAsync(context, events.Events);
                break;
            case TokenCountReply count:
                await WriteJsonAsync(context, new TokenCount { InputTokens = count.InputTokens });
                break;
            default:
                throw new InvalidOperationException($"No writer for {reply.GetType().Name}");
        }
    }

    private async Task StreamAsync(HttpContext context, IAsyncEnumerable<StreamEvent> events, TimeSpan pingInterval)
    {
        // No stream reaches here empty: the forwarder holds every reply to its first event (FirstEvent, which fails an
        // empty one while it can still be retried) and a relayed whole message starts with message_start. Nothing is
        // sent before that first event is written, so a failure before it still gets a proper HTTP error.
        var cancellationToken = context.RequestAborted;
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        var writer = new SseEventWriter(response.BodyWriter);
        try
        {
            await foreach (var streamEvent in events.WithPings(pingInterval, time, cancellationToken))
            {
                writer.Write(streamEvent);
                await response.BodyWriter.FlushAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (IsUpstreamFailure(ex, context) && response.HasStarted)
        {
            await WriteStreamErrorAsync(context, ex);
        }
    }

    private static async Task CompleteAsync(HttpContext context, IAsyncEnumerable<StreamEvent> events)
    {
        var accumulator = new MessageAccumulator();
        await foreach (var streamEvent in events.WithCancellation(context.RequestAborted)) accumulator.Apply(streamEvent);
        if (accumulator.Error is { } error)
        {
            await ErrorReplies.WriteAsync(context, new AnthropicError(ErrorReplies.StatusFor(error.Type), error.Type, error.Message));
            return;
        }
        await WriteJsonAsync(context, accumulator.Build());
    }

    private static Task WriteJsonAsync(HttpContext context, MessageResponse message)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, message, AnthropicJson.Relaxed.MessageResponse,
            context.RequestAborted);
    }

    private static Task WriteJsonAsync(HttpContext context, TokenCount count)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, count, AnthropicJson.Relaxed.TokenCount,
            context.RequestAborted);
    }

    private async Task WriteStreamErrorAsync(HttpContext context, Exception ex)
    {
        var error = grace is { IsOver: true } ? ShutdownGrace.Error
            : ex is AnthropicErrorException known
            ? known.Error
            : AnthropicError.Api($"The upstream stream broke off: {ex.Message}", 502);
        Log.UpstreamBrokeOff(logger, error.Message);
        var writer = new SseEventWriter(context.Response.BodyWriter);
        writer.Write(StreamEvent.ForError(error.ToDetail()));
        await context.Response.BodyWriter.FlushAsync(CancellationToken.None);
    }

    /// <summary>A failure of the upstream, as opposed to the client going away (which needs no answer).</summary>
    private bool IsUpstreamFailure(Exception ex, HttpContext context) =>
        (!context.RequestAborted.IsCancellationRequested || grace is { IsOver: true }) &&
        ex is AnthropicErrorException or IOException or HttpRequestException or OperationCanceledException or JsonException;
}
