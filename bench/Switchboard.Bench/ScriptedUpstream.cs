using System.Net;
using System.Text;

namespace Switchboard.Bench;

/// <summary>
/// A fast Anthropic-format model: every /v1/messages request gets the same realistic stream (message_start, a text
/// block of 20 deltas, message_delta, message_stop), flushed event by event as a real upstream does.
/// </summary>
internal static class ScriptedUpstream
{
    private static readonly byte[][] Events = BuildEvents();

    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/v1/messages", async context =>
        {
            // Read the request as a real server would before answering
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Response.ContentType = "text/event-stream";
            foreach (var e in Events) await context.Response.Body.WriteAsync(e);
        });
        await app.StartAsync();
        Console.WriteLine("ready");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static byte[][] BuildEvents()
    {
        var events = new List<string>
        {
            Event("message_start", """{"type":"message_start","message":{"id":"msg_bench","type":"message","role":"assistant","model":"claude-bench","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}"""),
            Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
        };
        for (var i = 0; i < 20; i++)
            events.Add(Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"token " + i + " of a streamed answer \"}}"));
        events.Add(Event("content_block_stop", """{"type":"content_block_stop","index":0}"""));
        events.Add(Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":120}}"""));
        events.Add(Event("message_stop", """{"type":"message_stop"}"""));
        return events.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    private static string Event(string type, string json) => $"event: {type}\ndata: {json}\n\n";
}
