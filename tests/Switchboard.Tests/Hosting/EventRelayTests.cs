using Microsoft.AspNetCore.Http;
using System.Net;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// <c>"relay": "events"</c> sends an Anthropic-format upstream through the event pipeline every translated provider
/// uses: parsed events, SSE written by Switchboard, pings while silent, complete messages built from the stream.
/// </summary>
public sealed class EventRelayTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private const string EventsMode = """, "relay": "events" """;

    private static async Task<List<StreamEvent>> ReadEvents(HttpResponseMessage response)
    {
        var events = new List<StreamEvent>();
        await foreach (var e in SseEventReader.ReadAsync(await response.Content.ReadAsStreamAsync(Cancel), Cancel)) events.Add(e);
        return events;
    }

    [Fact]
    public async Task Messages_StreamingInEventsMode_ReachesTheClientAsTheSameEvents()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) =>
            AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("claude-x", "via events 日本", inputTokens: 21)));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl, EventsMode));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var events = await ReadEvents(response);
        events.Select(e => e.Type).ShouldBe(["message_start", "content_block_start", "ping", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
        events[0].Message!.Usage!.InputTokens.ShouldBe(21);
        events[3].Delta!.Text.ShouldBe("via events 日本");
    }

    [Fact]
    public async Task Messages_NonStreamingClientInEventsMode_GetsTheMessageBuiltFromTheStream()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) =>
            AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("claude-x", "assembled", inputTokens: 8, outputTokens: 3)));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl, EventsMode));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var message = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Cancel), AnthropicJson.Default.MessageResponse)!;
        message.Content.ShouldHaveSingleItem().Text.ShouldBe("assembled");
        message.StopReason.ShouldBe("end_turn");
        message.Usage!.InputTokens.ShouldBe(8);
        message.Usage.OutputTokens.ShouldBe(3);
        // The upstream was asked for a stream, which Switchboard assembled
        using var seen = JsonDocument.Parse(upstream.Requests.ShouldHaveSingleItem().Body);
        seen.RootElement.GetProperty("stream").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Messages_StreamingClientInEventsMode_SendsTheClientsBytesAsTheyAre()
    {
        // Given events mode, which asks for a stream on its own copy of the request
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) =>
            AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("claude-x", "ok")));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl, EventsMode));
        // (odd spacing and key order: any rewrite would show)
        var body = "{ \"stream\":true, \"model\":\"claude-x\",\"max_tokens\":64,  \"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"x_future\":[1]}";

        // When a client that already streams sends it
        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(body), Cancel);

        // Then the copy equals what the client sent, so the client's bytes went up untouched
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        upstream.Requests.ShouldHaveSingleItem().BodyText.ShouldBe(body);
    }

    [Fact]
    public async Task Messages_NonStreamingClient_UpstreamErrorEvent_BecomesThatHttpError()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context,
            AnthropicWire.MessageStart("claude-x") + AnthropicWire.Event("error", AnthropicWire.Error("overloaded_error", "Overloaded"))));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl, EventsMode));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);

        (await response.ShouldBeAnthropicErrorAsync((HttpStatusCode)529, "overloaded_error")).ShouldBe("Overloaded");
    }

    [Fact]
    public async Task Messages_SilentUpstream_ClientReceivesPingsUntilItSpeaks()
    {
        // Given an upstream that starts, then says nothing until the client has seen a ping from Switchboard
        var clientSawPing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            await AnthropicWire.WriteSseAsync(context, AnthropicWire.MessageStart("claude-x"));
            await clientSawPing.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync(AnthropicWire.Event("message_stop", """{"type":"message_stop"}"""));
        });
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(
            upstream.BaseUrl, EventsMode, extraTopLevel: "\"pingIntervalSeconds\": 0.05,"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request()) };
        using var response = await switchboard.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        var types = new List<string?>();
        await foreach (var streamEvent in SseEventReader.ReadAsync(await response.Content.ReadAsStreamAsync(Cancel), Cancel))
        {
            types.Add(streamEvent.Type + (streamEvent.Error is { } error ? ": " + error.Message : ""));
            if (streamEvent.Type == StreamEventTypes.Ping) clientSawPing.TrySetResult();
        }

        // Then pings filled the silence and the upstream's events still came through in order
        types[0].ShouldBe("message_start");
        types.ShouldContain("ping");
        types[^1].ShouldBe("message_stop");
    }

    [Fact]
    public async Task Messages_MalformedEventMidStream_EndsWithAnErrorEvent()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context,
            AnthropicWire.MessageStart("claude-x") + "event: content_block_delta\ndata: {not json}\n\n"));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl, EventsMode));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        var events = await ReadEvents(response);
        events.Select(e => e.Type).ShouldBe(["message_start", "error"]);
        events[1].Error!.Message.ShouldContain("malformed 'content_block_delta' event");
    }

    [Fact]
    public async Task Messages_UpstreamEndsBeforeAnyEvent_Is502()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, ": nothing\n\n"));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl, EventsMode));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadGateway, "api_error")).ShouldContain("before sending anything");
    }
}
