using System.Buffers;
using System.Text;
using Shouldly;
using Switchboard.Anthropic;

namespace Switchboard.Tests.Anthropic;

public sealed class SseEventWriterTests
{
    [Fact]
    public void Write_OneEvent_IsEventLineDataLineBlankLine()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new SseEventWriter(output);

        writer.Write(new StreamEvent
        {
            Type = "content_block_delta",
            Index = 0,
            Delta = new StreamDelta { Type = DeltaTypes.Text, Text = "it's \"quoted\" and 日本" },
        });

        Encoding.UTF8.GetString(output.WrittenSpan).ShouldBe(
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"it's \\\"quoted\\\" and 日本\"}}\n\n");
    }

    [Fact]
    public async Task Write_ThenRead_GivesBackTheSameEvents()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new SseEventWriter(output);
        StreamEvent[] sent =
        [
            new() { Type = StreamEventTypes.MessageStart, Message = new MessageResponse { Id = "msg_1", Model = "m", Usage = new Usage { InputTokens = 3 } } },
            new() { Type = StreamEventTypes.ContentBlockDelta, Index = 0, Delta = new StreamDelta { Type = DeltaTypes.InputJson, PartialJson = "{\"a\":" } },
            StreamEvent.ForError(new ErrorDetail { Type = ErrorTypes.Overloaded, Message = "busy\nreally" }),
        ];
        foreach (var streamEvent in sent) writer.Write(streamEvent);

        var read = new List<StreamEvent>();
        await foreach (var streamEvent in SseEventReader.ReadAsync(new MemoryStream(output.WrittenSpan.ToArray()), TestContext.Current.CancellationToken))
            read.Add(streamEvent);

        read.Select(e => e.Type).ShouldBe(sent.Select(e => e.Type));
        read[0].Message!.Usage!.InputTokens.ShouldBe(3);
        read[0].Message!.StopReason.ShouldBeNull();
        read[1].Delta!.PartialJson.ShouldBe("{\"a\":");
        read[2].Error!.Message.ShouldBe("busy\nreally");
    }
}
