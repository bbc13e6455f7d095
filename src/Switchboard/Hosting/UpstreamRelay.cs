using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Providers;

namespace Switchboard.Hosting;

/// <summary>
/// Relays an upstream's own HTTP reply (the Anthropic pass-through) to the client. An event stream goes on as bytes
/// arrive, one whole event at a time, and ends with its last event whether or not the upstream closes. Anything else
/// is read whole before a byte is sent (a JSON reply is of no use to anyone in part), so a reply that breaks off, is cut
/// short or is not JSON can still be answered with a proper status: a 502 that names the provider. An error reply in
/// Anthropic's own shape goes on verbatim (Claude Code matches its wording); any other (a proxy's HTML page) is put in
/// Anthropic's envelope with its status kept. A streaming client that got one JSON message instead gets its events.
/// </summary>
internal sealed class UpstreamRelay(ILogger logger)
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade",
    };

    /// <summary>Relays <paramref name="reply"/>; returns the events to stream instead when a streaming client got a whole message.</summary>
    public async Task<IEnumerable<StreamEvent>?> RelayAsync(HttpContext context, UpstreamHttpReply reply, bool clientStreams)
    {
        if (reply.IsEventStream)
        {
            await RelayStreamAsync(context, reply);
            return null;
        }
        var status = (int)reply.Response.StatusCode;
        if (status >= 400)
        {
            await RelayErrorAsync(context, reply);
            return null;
        }

        var body = await ReadWholeAsync(context, reply);
        var mediaType = reply.Response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null || !mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            throw UpstreamFault.Broken(reply.Provider,
                $"answered {status} with {mediaType ?? "no content type"} instead of JSON: {new UpstreamErrorBody(Text(body), mediaType).Summary}");
        if (!IsCompleteJson(body, out var problem))
            throw UpstreamFault.Broken(reply.Provider, $"sent a JSON reply that is cut short or torn ({problem})");
        if (clientStreams && AsMessage(body) is { } message) return MessageEvents.From(message);

        WriteHead(context, reply);
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
        return null;
    }

    private static async Task RelayStreamAsync(HttpContext context, UpstreamHttpReply reply)
    {
        WriteHead(context, reply);
        context.Response.Headers.ContentLength = null;
        await context.Response.StartAsync(context.RequestAborted);
        var body = UsageCapture.Watch(context, reply.Body, eventStream: true);
        await new SseBoundaryRelay(context.Response.BodyWriter, reply.Provider).CopyAsync(body, context.RequestAborted);
    }

    private async Task RelayErrorAsync(HttpContext context, UpstreamHttpReply reply)
    {
        var status = (int)reply.Response.StatusCode;
        var mediaType = reply.Response.Content.Headers.ContentType?.MediaType;
        var body = await UpstreamErrorBody.ReadAsync(reply.Body, mediaType, context.RequestAborted);
        var bytes = System.Text.Encoding.UTF8.GetBytes(body.Text);
        UsageCapture.Of(context)?.Reply.ObserveJsonBody(bytes);
        if (IsAnthropicError(body))
        {
            WriteHead(context, reply);
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            return;
        }
        var error = new AnthropicError(status, AnthropicError.TypeForStatus(status), $"Provider '{reply.Provider}' answered {status} with {body.Summary}")
        {
            RetryAfterSeconds = reply.Response.Headers.RetryAfter?.Delta is { } delta ? (int)Math.Ceiling(delta.TotalSeconds) : null,
        };
        Log.UpstreamErrorWrapped(logger, reply.Provider, status, mediaType ?? "no content type");
        CopyHeaders(reply.Response.Headers, context.Response);
        await ErrorReplies.WriteAsync(context, error);
    }

    private static async Task<byte[]> ReadWholeAsync(HttpContext context, UpstreamHttpReply reply)
    {
        // The body guards its own size (UpstreamBody.MaxWholeBytes fails it first); the limit here only restates it.
        return await PooledBodyReader.ReadAsync(UsageCapture.Watch(context, reply.Body, eventStream: false),
                   reply.Response.Content.Headers.ContentLength, UpstreamBody.MaxWholeBytes, context.RequestAborted)
               ?? throw UpstreamFault.Broken(reply.Provider, $"sent a reply of more than {UpstreamBody.MaxWholeBytes / 1024 / 1024} MB");
    }

    /// <summary>The body as a Messages reply, or null when it is JSON of another shape (relayed as it is).</summary>
    private static MessageResponse? AsMessage(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, AnthropicJson.Default.MessageResponse) is { Type: "message" } message ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>{"type":"error","error":{"type":"…","message":"…"}}</c>: Anthropic's own, relayed as it is.</summary>
    private static bool IsAnthropicError(UpstreamErrorBody body)
    {
        if (!body.IsJson) return false;
        try
        {
            using var document = JsonDocument.Parse(body.Text);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object &&
                   root.TryGetProperty("type", out var type) && type.ValueEquals("error") &&
                   root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                   error.TryGetProperty("type", out var errorType) && errorType.ValueKind == JsonValueKind.String &&
                   error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsCompleteJson(byte[] body, out string problem)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            while (reader.Read()) reader.Skip();
            problem = "the body is empty";
            return reader.BytesConsumed > 0;
        }
        catch (JsonException ex)
        {
            problem = ex.Message.Split(" Path:")[0].TrimEnd('.', ' ');
            return false;
        }
    }

    private static string Text(byte[] body) => System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, UpstreamErrorBody.MaxBytes)));

    private static void WriteHead(HttpContext context, UpstreamHttpReply reply)
    {
        context.Response.StatusCode = (int)reply.Response.StatusCode;
        CopyHeaders(reply.Response.Headers, context.Response);
        CopyHeaders(reply.Response.Content.Headers, context.Response);
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders from, HttpResponse to)
    {
        foreach (var (name, values) in from.NonValidated)
        {
            if (HopByHop.Contains(name)) continue;
            to.Headers[name] = values.Count == 1 ? values.ToString() : values.ToArray();
        }
    }
}
