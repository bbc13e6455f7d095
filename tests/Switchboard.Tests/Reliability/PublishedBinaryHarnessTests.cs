using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Reliability;

/// <summary>The harness the reliability suite stands on: the published binary serves, and its checks can fail.</summary>
[UsesPublishedBinary]
public sealed class PublishedBinaryHarnessTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishedServer_RelaysAStream_AndReportsItsMemoryAndConnections()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "from the binary")));
        await using var server = await PublishedServer.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl));

        using var response = await server.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);
        var events = StreamValidator.EnsureWellFormed(await response.Content.ReadAsStringAsync(Cancel));

        AnthropicWire.Assemble(events).Content.Single().Text.ShouldBe("from the binary");
        server.RssMegabytes().ShouldBeGreaterThan(1);
        server.ConnectionsTo(new Uri(upstream.BaseUrl).Port).ShouldBeInRange(0, 1);
        server.Log.ShouldContain("listening on");
        server.EnsureHealthy();
    }

    [Fact]
    public void StreamValidator_FailsOnEventsAfterTheEnd_AndOnUnparsableEvents()
    {
        var complete = AnthropicWire.TextStream("m", "x");

        Should.Throw<MalformedStreamException>(() => StreamValidator.EnsureWellFormed(complete + AnthropicWire.Event("error", AnthropicWire.Error("api_error", "late"))))
            .Message.ShouldContain("events follow message_stop");
        Should.Throw<MalformedStreamException>(() => StreamValidator.EnsureWellFormed(AnthropicWire.MessageStart("m") + "event: content_block_start\ndata: {\"type\":\n\n"))
            .Message.ShouldContain("does not parse");
        Should.Throw<MalformedStreamException>(() => StreamValidator.EnsureWellFormed(AnthropicWire.MessageStart("m") +
                AnthropicWire.Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}""")))
            .Message.ShouldContain("not open");
        StreamValidator.EnsureWellFormed(complete).Count.ShouldBe(7);
    }
}
