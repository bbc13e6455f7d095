using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Sanitizing;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Sanitizing.StreamEvents;

namespace Switchboard.Tests.Sanitizing;

/// <summary>Every malformation an upstream stream can have, mended before the client sees it.</summary>
public sealed class StreamRepairTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly CapturingLoggerProvider _logs = new();

    private async Task<List<StreamEvent>> RepairAsync(params StreamEvent[] upstream)
    {
        var repair = new StreamRepair("ollama-cloud", "kimi-k2:1t-cloud", _logs.CreateLogger("test"));
        var events = new List<StreamEvent>();
        await foreach (var e in repair.Wrap(Upstream(upstream), Cancel)) events.Add(e);
        return events;
    }

    private static string Shape(IEnumerable<StreamEvent> events) => string.Join(" ", events.Select(e => e.Type switch
    {
        StreamEventTypes.ContentBlockStart => $"start{e.Index}:{e.ContentBlock!.Type}",
        StreamEventTypes.ContentBlockDelta => $"delta{e.Index}:{e.Delta!.Type}",
        StreamEventTypes.ContentBlockStop => $"stop{e.Index}",
        StreamEventTypes.MessageDelta => $"message_delta:{e.Delta!.StopReason}",
        _ => e.Type,
    }));

    [Fact]
    public async Task WellFormedStream_PassesThroughUnchanged()
    {
        StreamEvent[] upstream =
        [
            MessageStart(), Start(0, "thinking"), Thinking(0, "hmm"), Signature(0, "EqQBCkYIBxgCKkB"), Stop(0),
            Start(1, "text"), Ping(), Text(1, "hello"), Stop(1), Start(2, "tool_use"), Input(2, "{\"a\":"), Input(2, "1}"), Stop(2),
            MessageDelta("tool_use"), MessageStop(),
        ];
        var expected = upstream.Select(Json).ToList();

        var events = await RepairAsync(upstream);

        events.Select(Json).ShouldBe(expected);
        _logs.All.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("text_delta", "text")]
    [InlineData("thinking_delta", "thinking")]
    public async Task DeltaForABlockNeverOpened_GetsAStartOfTheRightType(string deltaType, string blockType)
    {
        var delta = deltaType == "text_delta" ? Text(0, "x") : Thinking(0, "x");

        var events = await RepairAsync(MessageStart(), delta, Stop(0), MessageDelta(), MessageStop());

        StreamValidator.Problems(events).ShouldBeEmpty();
        events[1].ContentBlock!.Type.ShouldBe(blockType);
        events[2].Delta!.Type.ShouldBe(deltaType);
        _logs.All.ShouldContain("ollama-cloud: repaired its stream: synthesized 1 block start");
    }

    [Fact]
    public async Task ToolInputForNoOpenBlock_IsDropped_NeverMadeIntoAToolCall()
    {
        var events = await RepairAsync(MessageStart(), Input(3, "{\"command\":\"ls\"}"), MessageDelta(), MessageStop());

        StreamValidator.Problems(events).ShouldBeEmpty();
        var message = AnthropicWire.Assemble(events);
        message.Content.ShouldBeEmpty();
        message.StopReason.ShouldBe("end_turn");
        _logs.All.ShouldContain("dropped 1 delta for no open block");
    }

    [Fact]
    public async Task ToolInputInsideAnOpenTextBlock_IsDroppedAndLogged_TheTextGoesOn()
    {
        // The stray input_json_delta once became a tool_use named "unknown" whose input was "{"
        var events = await RepairAsync(MessageStart(), Start(0, "text"), Text(0, "Let me"), Input(0, "{"), Text(0, " look."), Stop(0), MessageDelta(), MessageStop());

        StreamValidator.Problems(events).ShouldBeEmpty();
        Shape(events).ShouldBe("message_start start0:text delta0:text_delta delta0:text_delta stop0 message_delta:end_turn message_stop");
        AnthropicWire.Assemble(events).Content.ShouldHaveSingleItem().Text.ShouldBe("Let me look.");
        _logs.All.ShouldContain("ollama-cloud: repaired its stream: dropped 1 delta that did not fit its block");
    }

    [Fact]
    public async Task StopForABlockNotOpen_IsDropped()
    {
        var events = await RepairAsync(MessageStart(), Stop(4), Start(0, "text"), Text(0, "a"), Stop(0), Stop(0), MessageDelta(), MessageStop());

        Shape(events).ShouldBe("message_start start0:text delta0:text_delta stop0 message_delta:end_turn message_stop");
        _logs.All.ShouldContain("dropped 2 stray block stops");
    }

    [Fact]
    public async Task ReusedIndex_OpensANewBlockInsteadOfOverwritingTheFirst()
    {
        var events = await RepairAsync(
            MessageStart(), Start(0, "text"), Text(0, "first"), Stop(0),
            Start(0, "text"), Text(0, "second"), Stop(0),
            Text(0, "third"), MessageDelta(), MessageStop());

        StreamValidator.Problems(events).ShouldBeEmpty();
        AnthropicWire.Assemble(events).Content.Select(block => block.Text).ShouldBe(["first", "second", "third"]);
    }

    [Fact]
    public async Task StartForAnIndexStillOpen_ClosesTheOpenBlockFirst()
    {
        var events = await RepairAsync(MessageStart(), Start(0, "text"), Text(0, "a"), Start(0, "text"), Text(0, "b"), MessageDelta(), MessageStop());

        Shape(events).ShouldBe("message_start start0:text delta0:text_delta stop0 start1:text delta1:text_delta stop1 message_delta:end_turn message_stop");
        _logs.All.ShouldContain("reopened 1 re-used index as new blocks");
    }

    [Fact]
    public async Task DeltaOfAnotherTypeThanItsBlock_IsDropped()
    {
        var events = await RepairAsync(MessageStart(), Start(0, "text"), Text(0, "a"), Thinking(0, "b"), Stop(0), MessageDelta(), MessageStop());

        StreamValidator.Problems(events).ShouldBeEmpty();
        Shape(events).ShouldBe("message_start start0:text delta0:text_delta stop0 message_delta:end_turn message_stop");
        _logs.All.ShouldContain("dropped 1 delta that did not fit its block");
    }

    [Fact]
    public async Task OpenBlocks_AreClosedBeforeMessageDelta()
    {
        var events = await RepairAsync(MessageStart(), Start(0, "text"), Text(0, "a"), Start(1, "tool_use"), Input(1, "{}"), MessageDelta("tool_use"), MessageStop());

        Shape(events).ShouldBe("message_start start0:text delta0:text_delta start1:tool_use delta1:input_json_delta stop0 stop1 message_delta:tool_use message_stop");
        _logs.All.ShouldContain("closed 2 blocks left open");
    }

    [Fact]
    public async Task StreamThatEndsBeforeSayingHowItStopped_FailsRatherThanPassingForComplete()
    {
        var thrown = await Should.ThrowAsync<AnthropicErrorException>(() => RepairAsync(MessageStart(), Start(0, "tool_use"), Input(0, "{}")));

        (thrown.Error.Status, thrown.Error.Message).ShouldBe((502, "Provider 'ollama-cloud' ended its stream before it was done (no message_delta, no message_stop)."));
    }

    [Fact]
    public async Task StreamThatSaidHowItStoppedButNeverSentMessageStop_GetsIt()
    {
        var events = await RepairAsync(MessageStart(), Start(0, "tool_use"), Input(0, "{}"), MessageDelta("tool_use"));

        StreamValidator.Problems(events).ShouldBeEmpty();
        Shape(events).ShouldBe("message_start start0:tool_use delta0:input_json_delta stop0 message_delta:tool_use message_stop");
        _logs.All.ShouldContain("added message_stop");
    }

    [Fact]
    public async Task MessageDeltaWithoutStopReason_GetsOne_AndMessageStopAloneGetsItsDelta()
    {
        var withoutReason = await RepairAsync(MessageStart(), Start(0, "text"), Text(0, "a"), Stop(0), MessageDelta(stopReason: null, output: 9), MessageStop());
        var stopOnly = await RepairAsync(MessageStart(), Start(0, "text"), Text(0, "a"), Stop(0), MessageStop());

        Shape(withoutReason).ShouldBe("message_start start0:text delta0:text_delta stop0 message_delta:end_turn message_stop");
        withoutReason[^2].Usage!.OutputTokens.ShouldBe(9);
        Shape(stopOnly).ShouldBe("message_start start0:text delta0:text_delta stop0 message_delta:end_turn message_stop");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThinkingClosedWithoutASignature_GetsASynthesizedOne(bool emptySignatureDelta)
    {
        StreamEvent[] signature = emptySignatureDelta ? [Signature(0, "")] : [];
        var events = await RepairAsync([MessageStart(), Start(0, "thinking"), Thinking(0, "why"), .. signature, Stop(0), MessageDelta(), MessageStop()]);

        StreamValidator.Problems(events).ShouldBeEmpty();
        var thinking = AnthropicWire.Assemble(events).Content.ShouldHaveSingleItem();
        thinking.Signature.ShouldBe(SynthesizedSignature.For("ollama-cloud"));
        _logs.All.ShouldContain("signed 1 thinking block");
    }

    [Fact]
    public async Task MissingMessageStart_IsSynthesized_AndASecondOneDropped()
    {
        var events = await RepairAsync(Start(0, "text"), Text(0, "a"), MessageStart(), Stop(0), MessageDelta(), MessageStop());

        StreamValidator.Problems(events).ShouldBeEmpty();
        events[0].Message!.Model.ShouldBe("kimi-k2:1t-cloud");
    }

    [Fact]
    public async Task EventsAfterMessageStop_AreDropped()
    {
        var events = await RepairAsync(MessageStart(), Start(0, "text"), Text(0, "a"), Stop(0), MessageDelta(), MessageStop(), Text(0, "late"), MessageStop());

        Shape(events).ShouldBe("message_start start0:text delta0:text_delta stop0 message_delta:end_turn message_stop");
    }

    [Fact]
    public async Task UpstreamErrorEvent_EndsTheStreamAsItIs()
    {
        var events = await RepairAsync(MessageStart(), Start(0, "text"), Text(0, "a"), Error("Overloaded"), Text(0, "late"));

        Shape(events).ShouldBe("message_start start0:text delta0:text_delta error");
    }

    [Fact]
    public async Task EmptyUpstream_StaysEmpty()
    {
        (await RepairAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task UpstreamFailsMidStream_FailureReachesTheCallerAndTheUsageSoFarIsKept()
    {
        var repair = new StreamRepair("ollama-cloud", "m", _logs.CreateLogger("test"));
        var seen = new List<StreamEvent>();
        var failure = new IOException("connection reset by peer");

        var thrown = await Should.ThrowAsync<AnthropicErrorException>(async () =>
        {
            await foreach (var e in repair.Wrap(Upstream([MessageStart(input: 321), Start(0, "text"), Text(0, "partial"), MessageDelta(stopReason: null, output: 12)], failure), Cancel))
                seen.Add(e);
        });

        // The failure reaches the caller as the Anthropic error the client gets: a 502 that names the provider
        thrown.InnerException.ShouldBeSameAs(failure);
        (thrown.Error.Status, thrown.Error.Message).ShouldBe((502, "Provider 'ollama-cloud' broke off its reply (connection reset by peer)."));
        seen.Select(e => e.Type).ShouldNotContain(StreamEventTypes.MessageStop);
        // The usage so far is kept where production reads it: in the line logged with the failure
        _logs.All.ShouldContain("ollama-cloud: the stream failed after 321 input and 12 output tokens (usage kept): Provider 'ollama-cloud' broke off its reply");
    }
}
