using System.Text.Json;

namespace Switchboard.Anthropic;

/// <summary>
/// Builds a well-formed Anthropic event stream for a translating provider: blocks are opened and closed in order,
/// indexes count up, thinking always closes with a signature (Claude Code drops thinking without one), tool calls
/// become whole <c>tool_use</c> blocks. A stream mapper feeds it what the upstream said and yields
/// <see cref="Drain"/> after each upstream chunk.
/// </summary>
internal sealed class EventStreamBuilder(string provider)
{
    private readonly List<StreamEvent> _pending = [];
    private int _index = -1;
    private string? _open;
    private string? _thinkingSignature;

    /// <summary>Whether any <c>tool_use</c> block was emitted: the stop reason is then <c>tool_use</c>.</summary>
    public bool CalledTools { get; private set; }

    /// <summary>The type of the block now open (<c>text</c>, <c>thinking</c>, <c>tool_use</c>), or null between blocks.</summary>
    public string? OpenBlock => _open;

    public static StreamEvent MessageStart(string model, Usage usage, string? id = null) => new()
    {
        Type = StreamEventTypes.MessageStart,
        Message = new MessageResponse { Id = id ?? NewMessageId(), Model = model, Usage = usage },
    };

    public static string NewMessageId() => "msg_" + Guid.NewGuid().ToString("N")[..24];

    public void Text(string text)
    {
        if (text.Length == 0) return;
        Ensure(ContentBlockTypes.Text);
        Delta(new StreamDelta { Type = DeltaTypes.Text, Text = text });
    }

    public void Thinking(string thinking)
    {
        if (thinking.Length == 0) return;
        Ensure(ContentBlockTypes.Thinking);
        Delta(new StreamDelta { Type = DeltaTypes.Thinking, Thinking = thinking });
    }

    /// <summary>The upstream's own signature for the thinking block now open (or opened next, if none is).</summary>
    public void SignThinking(string signature) => _thinkingSignature = signature;

    /// <summary>A complete thinking block, e.g. an empty one that only carries a signature to be replayed later.</summary>
    public void SignedThinkingBlock(string thinking, string signature)
    {
        Close();
        Thinking(thinking);
        Ensure(ContentBlockTypes.Thinking);
        _thinkingSignature = signature;
        Close();
    }

    /// <summary>A whole tool call whose arguments arrived at once.</summary>
    public void ToolUse(string id, string name, string argumentsJson)
    {
        BeginToolUse(id, name);
        ToolInput(argumentsJson);
        Close();
    }

    /// <summary>Opens a tool call whose arguments follow in pieces (<see cref="ToolInput"/>) until <see cref="Close"/>.</summary>
    public void BeginToolUse(string id, string name)
    {
        Close();
        CalledTools = true;
        _index++;
        _open = ContentBlockTypes.ToolUse;
        _pending.Add(new StreamEvent
        {
            Type = StreamEventTypes.ContentBlockStart,
            Index = _index,
            ContentBlock = new ContentBlock { Type = ContentBlockTypes.ToolUse, Id = id, Name = name, Input = JsonValues.EmptyObject },
        });
    }

    public void ToolInput(string partialJson)
    {
        if (partialJson.Length == 0 || _open != ContentBlockTypes.ToolUse) return;
        Delta(new StreamDelta { Type = DeltaTypes.InputJson, PartialJson = partialJson });
    }

    /// <summary>Encrypted thinking, passed on as Anthropic's <c>redacted_thinking</c>.</summary>
    public void RedactedThinking(string data)
    {
        Close();
        _index++;
        _pending.Add(new StreamEvent
        {
            Type = StreamEventTypes.ContentBlockStart,
            Index = _index,
            ContentBlock = new ContentBlock { Type = ContentBlockTypes.RedactedThinking, Data = data },
        });
        _pending.Add(new StreamEvent { Type = StreamEventTypes.ContentBlockStop, Index = _index });
    }

    /// <summary>
    /// Closes the open block, then <c>message_delta</c> (stop reason, the stop sequence that matched if one did, final
    /// usage) and <c>message_stop</c>.
    /// </summary>
    public void Finish(string stopReason, Usage usage, string? stopSequence = null)
    {
        Close();
        _pending.Add(new StreamEvent
        {
            Type = StreamEventTypes.MessageDelta,
            Delta = new StreamDelta { StopReason = stopReason, StopSequence = stopSequence },
            Usage = usage,
        });
        _pending.Add(new StreamEvent { Type = StreamEventTypes.MessageStop });
    }

    /// <summary>The events built since the last drain, in order.</summary>
    public IEnumerable<StreamEvent> Drain()
    {
        if (_pending.Count == 0) yield break;
        var ready = _pending.ToArray();
        _pending.Clear();
        foreach (var e in ready) yield return e;
    }

    public void Close()
    {
        if (_open is null) return;
        if (_open == ContentBlockTypes.Thinking)
        {
            // Ours says it is Switchboard's, never Anthropic's, so it is kept away from Anthropic later.
            Delta(new StreamDelta { Type = DeltaTypes.Signature, Signature = _thinkingSignature ?? SynthesizedSignature.For(provider) });
            _thinkingSignature = null;
        }
        _open = null;
        _pending.Add(new StreamEvent { Type = StreamEventTypes.ContentBlockStop, Index = _index });
    }

    private void Ensure(string type)
    {
        if (_open == type) return;
        Close();
        _index++;
        _open = type;
        _pending.Add(new StreamEvent
        {
            Type = StreamEventTypes.ContentBlockStart,
            Index = _index,
            ContentBlock = type == ContentBlockTypes.Thinking
                ? new ContentBlock { Type = type, Thinking = "", Signature = "" }
                : new ContentBlock { Type = type, Text = "" },
        });
    }

    private void Delta(StreamDelta delta) =>
        _pending.Add(new StreamEvent { Type = StreamEventTypes.ContentBlockDelta, Index = _index, Delta = delta });

}
