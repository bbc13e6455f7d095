using Switchboard.Anthropic;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.Infrastructure;

/// <summary>Anthropic's wire format as a real upstream writes it, for scripted upstreams.</summary>
public static class AnthropicWire
{
    public static string Event(string type, string json) => $"event: {type}\ndata: {json}\n\n";

    /// <summary>A complete streamed text reply.</summary>
    public static string TextStream(string model, string text, int inputTokens = 10, int outputTokens = 5) =>
        MessageStart(model, inputTokens) +
        Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""") +
        Event("ping", """{"type": "ping"}""") +
        Event("content_block_delta", $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":{{{JsonSerializer.Serialize(text)}}}}}""") +
        Event("content_block_stop", """{"type":"content_block_stop","index":0}""") +
        Event("message_delta", $$$"""{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":{{{outputTokens}}}}}""") +
        Event("message_stop", """{"type":"message_stop"}""");

    public static string MessageStart(string model, int inputTokens = 10) =>
        Event("message_start", $$$"""{"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant","model":"{{{model}}}","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":{{{inputTokens}}},"output_tokens":1}}""" + "}");

    public static string TextMessage(string model, string text) =>
        $$$"""{"id":"msg_test","type":"message","role":"assistant","model":"{{{model}}}","content":[{"type":"text","text":{{{JsonSerializer.Serialize(text)}}}}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}}""";

    public static string Error(string type, string message) =>
        $$$"""{"type":"error","error":{"type":"{{{type}}}","message":{{{JsonSerializer.Serialize(message)}}}}}""";

    public static async Task WriteSseAsync(HttpContext context, string sse)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(sse));
        await context.Response.Body.FlushAsync();
    }

    /// <summary>Writes an SSE body in awkward pieces of <paramref name="piece"/> bytes, as a network would deliver it.</summary>
    public static async Task WriteSseInPiecesAsync(HttpContext context, string sse, int piece = 37)
    {
        context.Response.ContentType = "text/event-stream";
        var bytes = Encoding.UTF8.GetBytes(sse);
        for (var i = 0; i < bytes.Length; i += piece)
        {
            await context.Response.Body.WriteAsync(bytes.AsMemory(i, Math.Min(piece, bytes.Length - i)));
            await context.Response.Body.FlushAsync();
        }
    }

    public static async Task WriteJsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    /// <summary>A minimal valid request body.</summary>
    public static string Request(string model = "claude-sonnet-4-5", bool stream = true, string text = "hi") =>
        $$$"""{"model":"{{{model}}}","max_tokens":64,"stream":{{{(stream ? "true" : "false")}}},"messages":[{"role":"user","content":{{{JsonSerializer.Serialize(text)}}}}]}""";

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Posts a streaming Messages request, expects 200, and reads the reply's events.</summary>
    public static async Task<List<StreamEvent>> PostStreamAsync(HttpClient client, string body, CancellationToken cancellationToken)
    {
        using var response = await client.PostAsync("/v1/messages", Json(body), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != System.Net.HttpStatusCode.OK)
            throw new InvalidOperationException($"expected 200, got {(int)response.StatusCode}: {text}");
        var events = new List<StreamEvent>();
        await foreach (var e in SseEventReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), cancellationToken)) events.Add(e);
        return events;
    }

    /// <summary>The text of a streamed reply (SSE), its deltas joined.</summary>
    public static async Task<string> TextOfAsync(string sse, CancellationToken cancellationToken)
    {
        var events = new List<StreamEvent>();
        await foreach (var e in SseEventReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(sse)), cancellationToken)) events.Add(e);
        return string.Concat(Assemble(events).Content.Select(block => block.Text));
    }

    /// <summary>The message a list of events adds up to, as a non-streaming client would get it.</summary>
    public static MessageResponse Assemble(IEnumerable<StreamEvent> events)
    {
        var accumulator = new MessageAccumulator();
        foreach (var e in events) accumulator.Apply(e);
        return accumulator.Build();
    }
}
