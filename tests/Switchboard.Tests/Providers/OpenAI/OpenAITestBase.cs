using System.Net;
using System.Text.Json;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Hosting;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>Base for tests that talk to a scripted OpenAI-compatible server through a running Switchboard.</summary>
public abstract class OpenAITestBase : IAsyncLifetime
{
    protected ScriptedOpenAI OpenAI { get; private set; } = null!;
    protected RunningSwitchboard Switchboard { get; private set; } = null!;
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Extra keys for the provider entry (e.g. <c>, "preset": "deepseek"</c>).</summary>
    protected virtual string ProviderKeys => "";

    /// <summary>Changes to the server's options (a test clock, say) for every server this class starts.</summary>
    protected virtual Func<ServerOptions, ServerOptions>? Tune => null;

    public async ValueTask InitializeAsync()
    {
        OpenAI = await ScriptedOpenAI.StartAsync();
        Switchboard = await RunningSwitchboard.StartAsync(OpenAI.Config(ProviderKeys), Tune);
    }

    public async ValueTask DisposeAsync()
    {
        await Switchboard.DisposeAsync();
        await OpenAI.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts Switchboard again with other provider keys, for a test that needs them.</summary>
    protected async Task ReconfigureAsync(string providerKeys)
    {
        await Switchboard.DisposeAsync();
        Switchboard = await RunningSwitchboard.StartAsync(OpenAI.Config(providerKeys), Tune);
    }

    protected Task<HttpResponseMessage> PostAsync(string body) =>
        Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(body), Cancel);

    /// <summary>Sends a streaming request and reads the whole SSE reply back into events.</summary>
    protected async Task<List<StreamEvent>> StreamAsync(string body)
    {
        using var response = await PostAsync(body);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
        var events = new List<StreamEvent>();
        await foreach (var e in SseEventReader.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), Cancel)) events.Add(e);
        return events;
    }

    /// <summary>The single chat request the server received.</summary>
    protected System.Text.Json.Nodes.JsonObject SentChat => OpenAI.ChatRequests.ShouldHaveSingleItem();

    protected static MessageResponse Assemble(IEnumerable<StreamEvent> events)
    {
        var accumulator = new MessageAccumulator();
        foreach (var e in events) accumulator.Apply(e);
        return accumulator.Build();
    }

    /// <summary>Blocks are sequential: each one stops before the next starts, as Anthropic streams them.</summary>
    protected static void ShouldBeSequentialBlocks(IReadOnlyList<StreamEvent> events)
    {
        int? open = null;
        var next = 0;
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case "content_block_start":
                    open.ShouldBeNull("a block started while another was open");
                    e.Index.ShouldBe(next++);
                    open = e.Index;
                    break;
                case "content_block_delta":
                    e.Index.ShouldBe(open);
                    break;
                case "content_block_stop":
                    e.Index.ShouldBe(open);
                    open = null;
                    break;
            }
        }
        open.ShouldBeNull();
    }

    protected static string Request(string model = "scripted-model", bool stream = true, string extra = "", string messages = """[{"role":"user","content":"hi"}]""") =>
        $$"""{"model":"{{model}}","max_tokens":1000,"stream":{{(stream ? "true" : "false")}}{{extra}},"messages":{{messages}}}""";

    protected static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
