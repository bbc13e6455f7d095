using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// Keeps an event stream well-formed, one event at a time. Content blocks get indexes of their own, counting up in
/// the order they open, so a text or thinking delta for a block never opened gets a start of its type, a re-used
/// index opens a new block instead of overwriting one the client already has, and a stop for a block that is not
/// open is dropped, as is a delta that does not fit its block or tool input for no open tool call (nothing is ever
/// invented that Claude Code would run). Open blocks close before <c>message_delta</c>; thinking closes with a signature
/// (Claude Code drops thinking without one); the stream always ends with a <c>message_delta</c> that has a stop reason
/// and a <c>message_stop</c>. A well-formed stream passes through unchanged.
/// </summary>
internal sealed class StreamShape(string provider, string? model)
{
    private readonly Dictionary<int, OpenBlock> _open = [];
    private int _nextIndex;
    private bool _started, _ended, _stopReasonSent, _calledTools;

    public Usage Usage { get; } = new();
    public StreamRepairs Repairs { get; } = new();

    /// <summary>The stream has had its last event (<c>message_stop</c> or <c>error</c>); whatever follows is dropped.</summary>
    public bool Ended => _ended;

    /// <summary>The events to send for one upstream event (none, it, or it with what it needed first).</summary>
    public IEnumerable<StreamEvent> Accept(StreamEvent e)
    {
        if (_ended)
        {
            if (e.Type != StreamEventTypes.Ping) Repairs.DroppedEvents++;
            yield break;
        }
        if (!_started && e.Type is not (StreamEventTypes.MessageStart or StreamEventTypes.Ping or StreamEventTypes.Error))
        {
            Repairs.Added("message_start");
            yield return Start(EventStreamBuilder.MessageStart(model ?? "unknown", new Usage { InputTokens = 0, OutputTokens = 0 }));
        }

        switch (e.Type)
        {
            case StreamEventTypes.MessageStart when _started:
                Repairs.DroppedEvents++;
                break;
            case StreamEventTypes.MessageStart:
                yield return Start(e);
                break;
            case StreamEventTypes.ContentBlockStart:
                if (_open.ContainsKey(e.Index ?? -1)) Repairs.ReopenedIndexes++;
                foreach (var x in Close(e.Index)) yield return x;
                yield return Open(e.Index, e);
                break;
            case StreamEventTypes.ContentBlockDelta:
                foreach (var x in Delta(e)) yield return x;
                break;
            case StreamEventTypes.ContentBlockStop when e.Index is { } index && _open.ContainsKey(index):
                foreach (var x in Close(index)) yield return x;
                break;
            case StreamEventTypes.ContentBlockStop:
                Repairs.DroppedStops++;
                break;
            case StreamEventTypes.MessageDelta:
                foreach (var x in CloseAll()) yield return x;
                if (e.Usage is { } usage) Usage.MergeFrom(usage);
                e.Delta ??= new StreamDelta();
                if (e.Delta.StopReason is null)
                {
                    e.Delta.StopReason = StopReason;
                    Repairs.Added("stop reason");
                }
                _stopReasonSent = true;
                yield return e;
                break;
            case StreamEventTypes.MessageStop:
                foreach (var x in End(e)) yield return x;
                break;
            case StreamEventTypes.Error:
                _ended = true;
                yield return e;
                break;
            default:
                yield return e;
                break;
        }
    }

    /// <summary>
    /// What ends a stream the upstream left unfinished; nothing for one that ended properly, or never began. A stream
    /// that said how it stopped (<c>message_delta</c>) and only forgot <c>message_stop</c> gets it; one that ended
    /// before saying so was cut short, and passing it off as complete would hide that: it fails (a 502 naming the
    /// provider), which the client sees as an <c>error</c> event.
    /// </summary>
    public IEnumerable<StreamEvent> Finish()
    {
        if (!_started || _ended) return [];
        if (!_stopReasonSent)
            throw Providers.UpstreamFault.Broken(provider, "ended its stream before it was done (no message_delta, no message_stop)");
        var ending = End(new StreamEvent { Type = StreamEventTypes.MessageStop }).ToList();
        Repairs.Added("message_stop");
        return ending;
    }

    private string StopReason => _calledTools ? StopReasons.ToolUse : StopReasons.EndTurn;

    private StreamEvent Start(StreamEvent e)
    {
        _started = true;
        if (e.Message?.Usage is { } usage) Usage.MergeFrom(usage);
        return e;
    }

    private IEnumerable<StreamEvent> End(StreamEvent stop)
    {
        foreach (var x in CloseAll()) yield return x;
        if (!_stopReasonSent)
        {
            Repairs.Added("message_delta");
            _stopReasonSent = true;
            yield return new StreamEvent
            {
                Type = StreamEventTypes.MessageDelta,
                Delta = new StreamDelta { StopReason = StopReason },
                Usage = new Usage { OutputTokens = Usage.OutputTokens ?? 0 },
            };
        }
        _ended = true;
        yield return stop;
    }

    private StreamEvent Open(int? upstreamIndex, StreamEvent start)
    {
        var block = start.ContentBlock ??= new ContentBlock { Type = ContentBlockTypes.Text, Text = "" };
        if (block.Type == ContentBlockTypes.ToolUse) _calledTools = true;
        var index = _nextIndex++;
        _open[upstreamIndex ?? -1] = new OpenBlock(index, block.Type ?? "", Signed: !string.IsNullOrEmpty(block.Signature));
        start.Index = index;
        return start;
    }

    private IEnumerable<StreamEvent> Delta(StreamEvent e)
    {
        var key = e.Index ?? -1;
        var needs = BlockTypeFor(e.Delta?.Type);
        if (_open.TryGetValue(key, out var open))
        {
            if (needs is not null && !Fits(open.Type, needs))
            {
                // A delta that does not fit its block (tool input inside a text block…) is noise: dropped, never turned
                // into content of another kind, least of all a tool call nobody asked for.
                Repairs.MisfitDeltas++;
                yield break;
            }
            if (e.Delta is { Type: DeltaTypes.Signature, Signature.Length: > 0 }) _open[key] = open with { Signed = true };
            e.Index = open.Index;
            yield return e;
            yield break;
        }
        if (needs is not (ContentBlockTypes.Text or ContentBlockTypes.Thinking))
        {
            // Text and thinking can be given the block they were plainly meant for; tool input cannot, because
            // nothing says which tool it was for, and an invented tool call would run.
            Repairs.DroppedDeltas++;
            yield break;
        }
        Repairs.SynthesizedStarts++;
        yield return Open(key, new StreamEvent { Type = StreamEventTypes.ContentBlockStart, ContentBlock = NewBlock(needs) });
        foreach (var x in Delta(e)) yield return x;
    }

    private IEnumerable<StreamEvent> Close(int? upstreamIndex)
    {
        if (!_open.Remove(upstreamIndex ?? -1, out var block)) yield break;
        if (block.Type == ContentBlockTypes.Thinking && !block.Signed)
        {
            Repairs.Signed++;
            yield return new StreamEvent
            {
                Type = StreamEventTypes.ContentBlockDelta,
                Index = block.Index,
                Delta = new StreamDelta { Type = DeltaTypes.Signature, Signature = SynthesizedSignature.For(provider) },
            };
        }
        yield return new StreamEvent { Type = StreamEventTypes.ContentBlockStop, Index = block.Index };
    }

    private IEnumerable<StreamEvent> CloseAll()
    {
        foreach (var (key, _) in _open.OrderBy(pair => pair.Value.Index).ToList())
        {
            Repairs.ClosedBlocks++;
            foreach (var x in Close(key)) yield return x;
        }
    }

    private static string? BlockTypeFor(string? deltaType) => deltaType switch
    {
        DeltaTypes.Text or DeltaTypes.Citations => ContentBlockTypes.Text,
        DeltaTypes.Thinking or DeltaTypes.Signature => ContentBlockTypes.Thinking,
        DeltaTypes.InputJson => ContentBlockTypes.ToolUse,
        _ => null,
    };

    /// <summary>Input deltas fit any kind of tool call (server and MCP tools stream their input too).</summary>
    private static bool Fits(string openType, string needed) =>
        openType == needed || (needed == ContentBlockTypes.ToolUse && openType.EndsWith("tool_use", StringComparison.Ordinal));

    private static ContentBlock NewBlock(string type) => type == ContentBlockTypes.Thinking
        ? new ContentBlock { Type = type, Thinking = "", Signature = "" }
        : new ContentBlock { Type = type, Text = "" };

    private sealed record OpenBlock(int Index, string Type, bool Signed);
}
