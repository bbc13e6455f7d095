using System.Text;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Anthropic;

public sealed class SseEventReaderTests
{
    // Multi-byte UTF-8 (é, 日本, an emoji made of a surrogate pair) so that some chunk sizes split characters.
    private const string Stream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":7,"output_tokens":1}}}

        : a comment line, ignored

        event: ping
        data: {"type": "ping"}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"café 日本 🚀"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}

        event: message_stop
        data: {"type":"message_stop"}


        """;

    private static async Task<List<StreamEvent>> ReadAll(Stream stream)
    {
        var events = new List<StreamEvent>();
        await foreach (var streamEvent in SseEventReader.ReadAsync(stream, TestContext.Current.CancellationToken)) events.Add(streamEvent);
        return events;
    }

    [Fact]
    public async Task ReadAsync_ChunkBoundaryAnywhere_YieldsTheSameEvents()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream.Replace("\r\n", "\n"));

        // For every chunk size from one byte up, the same seven events (comment skipped) come out whole
        foreach (var chunkSize in Enumerable.Range(1, 40).Append(bytes.Length))
        {
            var events = await ReadAll(new ChunkedStream(bytes, chunkSize));

            events.Select(e => e.Type).ShouldBe(
                ["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
                $"chunk size {chunkSize}");
            events[3].Delta!.Text.ShouldBe("café 日本 🚀", $"chunk size {chunkSize}");
            events[0].Message!.Usage!.InputTokens.ShouldBe(7);
            events[5].Delta!.StopReason.ShouldBe("end_turn");
            events[5].Usage!.OutputTokens.ShouldBe(5);
        }
    }

    [Fact]
    public async Task ReadAsync_CrLfLineEndings_AreUnderstood()
    {
        var bytes = Encoding.UTF8.GetBytes(Stream.Replace("\r\n", "\n").Replace("\n", "\r\n"));

        var events = await ReadAll(new ChunkedStream(bytes, 3));

        events.Count.ShouldBe(7);
        events[3].Delta!.Text.ShouldBe("café 日本 🚀");
    }

    [Fact]
    public async Task ReadAsync_PayloadWithoutType_TakesTheEventLine()
    {
        var bytes = Encoding.UTF8.GetBytes("event: message_stop\ndata: {}\n\n");

        var events = await ReadAll(new ChunkedStream(bytes, 5));

        events.ShouldHaveSingleItem().Type.ShouldBe("message_stop");
    }

    [Fact]
    public async Task ReadAsync_MalformedJson_FailsWithAnAnthropicError()
    {
        var bytes = Encoding.UTF8.GetBytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\n\n");

        var failure = await Should.ThrowAsync<AnthropicErrorException>(() => ReadAll(new ChunkedStream(bytes, 8)));

        failure.Error.Type.ShouldBe(ErrorTypes.Api);
        failure.Error.Message.ShouldContain("malformed 'content_block_delta' event");
    }

    [Fact]
    public async Task ReadAsync_UnknownFields_ArePreserved()
    {
        var bytes = Encoding.UTF8.GetBytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"new_delta\",\"payload\":[1]},\"extra\":true}\n\n");

        var streamEvent = (await ReadAll(new ChunkedStream(bytes, 4))).ShouldHaveSingleItem();

        streamEvent.Extra!.ShouldContainKey("extra");
        streamEvent.Delta!.Type.ShouldBe("new_delta");
        streamEvent.Delta.Extra!.ShouldContainKey("payload");
    }
}
