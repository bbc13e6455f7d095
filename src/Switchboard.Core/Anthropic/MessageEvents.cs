using System.Text.Json;

namespace Switchboard.Anthropic;

/// <summary>
/// A complete message as the events a streaming reply of it is made of, for an upstream that answered a streaming
/// request with one JSON message (some Anthropic-compatible servers ignore <c>stream</c>). Text, thinking and tool
/// input arrive as their deltas, as Anthropic streams them; any other block (server tool results, redacted thinking,
/// types added later) comes whole in its <c>content_block_start</c>.
/// </summary>
public static class MessageEvents
{
    public static IEnumerable<StreamEvent> From(MessageResponse message)
    {
        yield return new StreamEvent
        {
            Type = StreamEventTypes.MessageStart,
            Message = new MessageResponse
            {
                Id = message.Id ?? EventStreamBuilder.NewMessageId(),
                Model = message.Model,
                Role = message.Role,
                Usage = message.Usage,
                Extra = message.Extra,
            },
        };
        for (var index = 0; index < message.Content.Count; index++)
        {
            foreach (var e in Block(index, message.Content[index])) yield return e;
            yield return new StreamEvent { Type = StreamEventTypes.ContentBlockStop, Index = index };
        }
        yield return new StreamEvent
        {
            Type = StreamEventTypes.MessageDelta,
            Delta = new StreamDelta { StopReason = message.StopReason ?? StopReasons.EndTurn, StopSequence = message.StopSequence },
            Usage = new Usage { OutputTokens = message.Usage?.OutputTokens ?? 0 },
        };
        yield return new StreamEvent { Type = StreamEventTypes.MessageStop };
    }

    private static IEnumerable<StreamEvent> Block(int index, ContentBlock block)
    {
        switch (block.Type)
        {
            case ContentBlockTypes.Text:
                yield return Start(index, new ContentBlock { Type = block.Type, Text = "", CacheControl = block.CacheControl, Extra = block.Extra });
                if (!string.IsNullOrEmpty(block.Text)) yield return Delta(index, new StreamDelta { Type = DeltaTypes.Text, Text = block.Text });
                if (block.Citations is { ValueKind: JsonValueKind.Array } citations)
                    foreach (var citation in citations.EnumerateArray())
                        yield return Delta(index, new StreamDelta { Type = DeltaTypes.Citations, Citation = citation });
                break;
            case ContentBlockTypes.Thinking:
                yield return Start(index, new ContentBlock { Type = block.Type, Thinking = "", Signature = "" });
                if (!string.IsNullOrEmpty(block.Thinking)) yield return Delta(index, new StreamDelta { Type = DeltaTypes.Thinking, Thinking = block.Thinking });
                if (!string.IsNullOrEmpty(block.Signature)) yield return Delta(index, new StreamDelta { Type = DeltaTypes.Signature, Signature = block.Signature });
                break;
            case { } type when type.EndsWith("tool_use", StringComparison.Ordinal) && block.Input is { } input:
                yield return Start(index, new ContentBlock { Type = type, Id = block.Id, Name = block.Name, Input = JsonValues.EmptyObject, Extra = block.Extra });
                var json = input.GetRawText();
                if (json != "{}") yield return Delta(index, new StreamDelta { Type = DeltaTypes.InputJson, PartialJson = json });
                break;
            default:
                yield return Start(index, block);
                break;
        }
    }

    private static StreamEvent Start(int index, ContentBlock block) =>
        new() { Type = StreamEventTypes.ContentBlockStart, Index = index, ContentBlock = block };

    private static StreamEvent Delta(int index, StreamDelta delta) =>
        new() { Type = StreamEventTypes.ContentBlockDelta, Index = index, Delta = delta };

}
