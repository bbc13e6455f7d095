using System.Text.Json;
using Shouldly;
using Switchboard.Anthropic;

namespace Switchboard.Tests.Anthropic;

public sealed class MessageAccumulatorTests
{
    private static StreamEvent Delta(int index, StreamDelta delta) =>
        new() { Type = StreamEventTypes.ContentBlockDelta, Index = index, Delta = delta };

    [Fact]
    public void Build_FromThinkingTextAndToolUseStream_GivesTheCompleteMessage()
    {
        var accumulator = new MessageAccumulator();
        StreamEvent[] events =
        [
            new() { Type = StreamEventTypes.MessageStart, Message = new MessageResponse { Id = "msg_9", Model = "claude-x", Usage = new Usage { InputTokens = 12, OutputTokens = 1, CacheReadInputTokens = 4 } } },
            new() { Type = StreamEventTypes.ContentBlockStart, Index = 0, ContentBlock = new ContentBlock { Type = "thinking", Thinking = "" } },
            Delta(0, new StreamDelta { Type = DeltaTypes.Thinking, Thinking = "Let me " }),
            Delta(0, new StreamDelta { Type = DeltaTypes.Thinking, Thinking = "think." }),
            Delta(0, new StreamDelta { Type = DeltaTypes.Signature, Signature = "sig-abc" }),
            new() { Type = StreamEventTypes.ContentBlockStop, Index = 0 },
            new() { Type = StreamEventTypes.ContentBlockStart, Index = 1, ContentBlock = new ContentBlock { Type = "text", Text = "" } },
            Delta(1, new StreamDelta { Type = DeltaTypes.Text, Text = "Running " }),
            Delta(1, new StreamDelta { Type = DeltaTypes.Text, Text = "ls." }),
            new() { Type = StreamEventTypes.ContentBlockStop, Index = 1 },
            new() { Type = StreamEventTypes.ContentBlockStart, Index = 2, ContentBlock = new ContentBlock { Type = "tool_use", Id = "toolu_1", Name = "Bash", Input = JsonDocument.Parse("{}").RootElement } },
            Delta(2, new StreamDelta { Type = DeltaTypes.InputJson, PartialJson = "{\"comm" }),
            Delta(2, new StreamDelta { Type = DeltaTypes.InputJson, PartialJson = "and\": \"ls -la\"}" }),
            new() { Type = StreamEventTypes.ContentBlockStop, Index = 2 },
            new() { Type = StreamEventTypes.MessageDelta, Delta = new StreamDelta { StopReason = StopReasons.ToolUse }, Usage = new Usage { OutputTokens = 42 } },
            new() { Type = StreamEventTypes.MessageStop },
        ];

        foreach (var streamEvent in events) accumulator.Apply(streamEvent);
        var message = accumulator.Build();

        message.Id.ShouldBe("msg_9");
        message.Model.ShouldBe("claude-x");
        message.StopReason.ShouldBe(StopReasons.ToolUse);
        message.Usage!.InputTokens.ShouldBe(12);
        message.Usage.OutputTokens.ShouldBe(42);
        message.Usage.CacheReadInputTokens.ShouldBe(4);
        message.Content.Count.ShouldBe(3);
        message.Content[0].Thinking.ShouldBe("Let me think.");
        message.Content[0].Signature.ShouldBe("sig-abc");
        message.Content[1].Text.ShouldBe("Running ls.");
        message.Content[2].Input!.Value.GetProperty("command").GetString().ShouldBe("ls -la");
        accumulator.Error.ShouldBeNull();
    }

    [Fact]
    public void Apply_ErrorEvent_IsKept()
    {
        var accumulator = new MessageAccumulator();

        accumulator.Apply(StreamEvent.ForError(new ErrorDetail { Type = ErrorTypes.Overloaded, Message = "Overloaded" }));

        accumulator.Error!.Type.ShouldBe(ErrorTypes.Overloaded);
    }

    [Fact]
    public void Build_StreamCutBeforeBlockStop_KeepsWhatArrived()
    {
        var accumulator = new MessageAccumulator();
        accumulator.Apply(new StreamEvent { Type = StreamEventTypes.ContentBlockStart, Index = 0, ContentBlock = new ContentBlock { Type = "text", Text = "" } });
        accumulator.Apply(Delta(0, new StreamDelta { Type = DeltaTypes.Text, Text = "partial" }));

        accumulator.Build().Content.ShouldHaveSingleItem().Text.ShouldBe("partial");
    }
}
