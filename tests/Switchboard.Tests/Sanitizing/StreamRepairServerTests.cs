using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Sanitizing;

/// <summary>
/// Upstream streams that are malformed, silent, cut or garbled, through the real server: the client always gets a
/// well-formed stream, or one that ends in an <c>error</c> event and a clean close, and the daemon keeps serving.
/// </summary>
public sealed class StreamRepairServerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Every malformation at once, as Ollama's Anthropic endpoint and other compatible servers have sent them.</summary>
    private static readonly string Malformed =
        AnthropicWire.MessageStart("kimi-k2.6:cloud", 40) +
        // thinking that never opened, closed without a signature
        Ev("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me see."}}""") +
        Ev("content_block_stop", """{"type":"content_block_stop","index":0}""") +
        // a stop for a block nobody opened
        Ev("content_block_stop", """{"type":"content_block_stop","index":7}""") +
        // index 0 used again, for text
        Ev("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""") +
        Ev("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Listing."}}""") +
        // tool input for a block never opened (no tool is named: it is dropped, never made a call), and text left
        // open, then message_delta without a stop reason
        Ev("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"command\":\"ls\"}"}}""") +
        Ev("message_delta", """{"type":"message_delta","delta":{},"usage":{"output_tokens":9}}""");
        // and no message_stop

    private static string Ev(string type, string json) => AnthropicWire.Event(type, json);

    private static string OneProvider(string name, string providerJson) =>
        $"{{\"defaultProvider\":\"{name}\",\"providers\":{{\"{name}\":{providerJson}}}}}";

    private static async Task<List<StreamEvent>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<StreamEvent>();
        await foreach (var e in SseEventReader.ReadAsync(await response.Content.ReadAsStreamAsync(Cancel), Cancel)) events.Add(e);
        return events;
    }

    [Theory]
    [InlineData("""{ "type": "ollama", "api": "anthropic" }""")]
    [InlineData("""{ "type": "anthropic", "relay": "events" }""")]
    public async Task EveryMalformation_ReachesTheClientAsAWellFormedStream(string provider)
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, Malformed));
        await using var switchboard = await RunningSwitchboard.StartAsync(
            OneProvider("up", provider.Replace("{ ", "{ \"baseUrl\": \"" + upstream.BaseUrl + "\", ")));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("kimi-k2.6:cloud")), Cancel);
        var events = await ReadEventsAsync(response);

        StreamValidator.Problems(events).ShouldBeEmpty();
        var message = AnthropicWire.Assemble(events);
        message.Content.Select(block => block.Type).ShouldBe(["thinking", "text"]);
        message.Content[0].Thinking.ShouldBe("Let me see.");
        message.Content[0].Signature.ShouldBe(SynthesizedSignature.For("up"));
        message.Content[1].Text.ShouldBe("Listing.");
        message.StopReason.ShouldBe("end_turn");
        message.Usage!.OutputTokens.ShouldBe(9);
        switchboard.Logs.All.ShouldContain("up: repaired its stream: synthesized 1 block start");
        switchboard.Logs.All.ShouldContain("dropped 1 delta for no open block");
    }

    [Fact]
    public async Task EveryMalformation_NonStreamingClient_GetsTheWholeMessage()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, Malformed));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl, """, "relay": "events" """));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var message = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Cancel), AnthropicJson.Default.MessageResponse)!;
        message.Content.Select(block => block.Type).ShouldBe(["thinking", "text"]);
        message.StopReason.ShouldBe("end_turn");
    }

    [Fact]
    public async Task AnthropicsOwnStream_RelayedAsBytes_IsNeverTouched()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, Malformed));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        // Its bytes go on as they came; only because it ended without message_stop does an error event follow
        var text = await response.Content.ReadAsStringAsync(Cancel);
        text.ShouldStartWith(Malformed);
        text[Malformed.Length..].ShouldBe("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\"," +
            "\"message\":\"Provider 'anthropic' ended its stream before its last event (message_stop).\"}}\n\n");
    }

    [Fact]
    public async Task ChunksThatProduceNothing_NeverStallTheStream()
    {
        // Given a server that sends hundreds of chunks with nothing in them (role-only, empty content, comments) around the answer
        await using var openai = await ScriptedOpenAI.StartAsync();
        var nothing = Enumerable.Range(0, 300).Select(i => (i % 3) switch
        {
            0 => ScriptedOpenAI.Role(),
            1 => ScriptedOpenAI.Text(""),
            _ => ": keep-alive",
        }).ToList();
        openai.Chat = _ => [.. nothing, ScriptedOpenAI.Text("finally"), .. nothing, ScriptedOpenAI.Finish("stop"), ScriptedOpenAI.Usage(), ScriptedOpenAI.DoneLine];
        await using var switchboard = await RunningSwitchboard.StartAsync(openai.Config());

        var events = await AnthropicWire.PostStreamAsync(switchboard.Client, AnthropicWire.Request("m"), Cancel);

        StreamValidator.Problems(events).ShouldBeEmpty();
        AnthropicWire.Assemble(events).Content.ShouldHaveSingleItem().Text.ShouldBe("finally");
    }

    [Fact]
    public async Task TranslatedStreamCutMidway_EndsWithAnErrorEvent_UsageIsLogged_AndTheDaemonKeepsServing()
    {
        // Given an Ollama that sends part of an answer, then drops the connection (once the client has that part,
        // so the drop cannot overtake it)
        var clientHasIt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var ollama = await OllamaChatAsync(async context =>
        {
            await Write(context, ScriptedOllama.Text("Half an "));
            await Write(context, ScriptedOllama.Text("answer"));
            await clientHasIt.Task;
            context.Abort();
        });
        await using var switchboard = await RunningSwitchboard.StartAsync(OllamaConfig(ollama));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("qwen3:8b")) };
        using var response = await switchboard.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        var events = new List<StreamEvent>();
        await foreach (var e in SseEventReader.ReadAsync(await response.Content.ReadAsStreamAsync(Cancel), Cancel))
        {
            events.Add(e);
            if (e.Delta?.Text == "answer") clientHasIt.TrySetResult();
        }

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        StreamValidator.Problems(events).ShouldBeEmpty();
        events[^1].Type.ShouldBe("error");
        string.Concat(events.Where(e => e.Delta?.Text is not null).Select(e => e.Delta!.Text)).ShouldBe("Half an answer");
        switchboard.Logs.All.ShouldContain("ollama-local: the stream failed after ");
        (await switchboard.Client.GetAsync("/health", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TranslatedStreamGarbledMidway_EndsWithAnErrorEvent()
    {
        await using var openai = await ScriptedOpenAI.StartAsync();
        openai.Chat = _ => [ScriptedOpenAI.Role(), ScriptedOpenAI.Text("So far so good"), ScriptedOpenAI.Raw("data: {\"choices\":[{\"delta\":{\"content\"\n\n")];
        await using var switchboard = await RunningSwitchboard.StartAsync(openai.Config());

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("m")), Cancel);
        var events = await ReadEventsAsync(response);

        StreamValidator.Problems(events).ShouldBeEmpty();
        events[^1].Type.ShouldBe("error");
    }

    [Fact]
    public async Task TranslatedStreamThatGoesSilent_EndsWithAnErrorEventAndTheUpstreamIsCancelled()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var ollama = await OllamaChatAsync(async context =>
        {
            context.RequestAborted.Register(() => cancelled.TrySetResult());
            await Write(context, ScriptedOllama.Text("Thinking about it"));
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var switchboard = await RunningSwitchboard.StartAsync(OllamaConfig(ollama, ",\"timeoutSeconds\":600"), options => options with { Time = time });

        using var response = await time.AdvanceUntilAsync(
            switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("qwen3:8b")), Cancel), TimeSpan.FromSeconds(600));
        var events = await ReadEventsAsync(response);

        events[^1].Error!.Message.ShouldBe("Provider 'ollama-local' went silent for 600 s mid-response.");
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
    }

    [Fact]
    public async Task ClientLeavingATranslatedStream_CancelsTheUpstreamRequestAtOnce()
    {
        await using var openai = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await Write(context, "data: " + ScriptedOpenAI.Text("streaming...") + "\n");
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        await using var switchboard = await RunningSwitchboard.StartAsync(
            OneProvider("oa", $"{{\"type\":\"openai\",\"baseUrl\":\"{openai.BaseUrl}/v1\"}}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("m")) };
        var response = await switchboard.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        (await (await response.Content.ReadAsStreamAsync(Cancel)).ReadAsync(new byte[16], Cancel)).ShouldBeGreaterThan(0);

        response.Dispose();

        await openai.RequestCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        (await switchboard.Client.GetAsync("/health", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>An Ollama whose <c>/api/chat</c> does what <paramref name="chat"/> says; every model it shows can only complete text.</summary>
    private static Task<ScriptedUpstream> OllamaChatAsync(Func<HttpContext, Task> chat) =>
        ScriptedUpstream.StartAsync((context, request) => request.Path == "/api/chat"
            ? chat(context)
            : AnthropicWire.WriteJsonAsync(context, """{"capabilities":["completion"]}"""));

    private static string OllamaConfig(ScriptedUpstream ollama, string extra = "") =>
        OneProvider("ollama-local", $"{{\"type\":\"ollama\",\"baseUrl\":\"{ollama.BaseUrl}\"{extra}}}");

    private static async Task Write(HttpContext context, string line)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        await context.Response.Body.FlushAsync();
    }
}
