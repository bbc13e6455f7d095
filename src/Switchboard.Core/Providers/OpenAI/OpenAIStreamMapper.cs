using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;
using Switchboard.Sanitizing;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Chat-completions chunks → Anthropic events, as they arrive. Reasoning and text open their own blocks (thinking
/// closed with a synthesized signature, or Claude Code drops it). Tool-call fragments are keyed by index: the call
/// being written streams as <c>input_json_delta</c>s; a call that starts while another is still half-written
/// (interleaved parallel calls) is held and sent whole once the first is done, so blocks never interleave. Usage
/// may come in a chunk of its own after the finish reason, so the reply ends at <c>[DONE]</c> or the end of the body.
/// </summary>
internal sealed class OpenAIStreamMapper(
    string provider, MessagesRequest request, int estimatedInputTokens, OpenAISettings settings, ToolNameMap toolNames,
    Action<string> log)
{
    private readonly List<ToolCallState> _calls = [];
    private readonly Dictionary<int, ToolCallState> _callsByIndex = [];
    private readonly ToolCallRepair _repair = new(request.Tools, log);
    private List<(string Kind, string Text)>? _held;
    private ToolCallState? _activeCall;
    private ToolCallState? _lastCall;
    private int _index = -1;
    private string? _open;
    private bool _started, _calledTools, _refused;
    private string? _finish, _stopSequence;
    private ChatUsage? _usage;

    public async IAsyncEnumerable<StreamEvent> MapAsync(
        IAsyncEnumerable<ChatChunk> chunks, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var done = false;
        await foreach (var chunk in chunks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (chunk.IsDone)
            {
                done = true;
                break;
            }
            // Before message_start, an error still becomes a proper HTTP error reply.
            if (chunk.Error is { ValueKind: not JsonValueKind.Null } error) throw OpenAIErrors.MidStream(error, provider);
            if (!_started) yield return Start();
            if (chunk.Usage is { } usage) _usage = usage;
            if (chunk.Choices?.Find(choice => (choice.Index ?? 0) == 0) is not { } choice) continue;
            foreach (var e in Content(choice.Delta ?? choice.Message)) yield return e;
            if (choice.FinishReason is { Length: > 0 } finish) _finish = finish;
            if (choice.StopReason is { ValueKind: JsonValueKind.String } stop && request.StopSequences?.Contains(stop.GetString()!) == true)
                _stopSequence = stop.GetString();
        }
        if (!done && _finish is null)
            throw new AnthropicErrorException(AnthropicError.Api($"{provider} ended the reply before it was done.", 502));
        // OpenRouter's finish reason when the routed provider failed without saying more.
        if (_finish == "error")
            throw new AnthropicErrorException(AnthropicError.Api($"{provider} stopped the reply with an error.", 502));

        if (!_started) yield return Start();
        foreach (var e in FinishToolCalls()) yield return e;
        while (_open is not null) foreach (var e in Close()) yield return e;
        yield return new StreamEvent
        {
            Type = StreamEventTypes.MessageDelta,
            Delta = new StreamDelta { StopReason = StopReason(), StopSequence = _stopSequence },
            Usage = FinalUsage(),
        };
        yield return new StreamEvent { Type = StreamEventTypes.MessageStop };
    }

    private StreamEvent Start()
    {
        _started = true;
        return new StreamEvent
        {
            Type = StreamEventTypes.MessageStart,
            Message = new MessageResponse
            {
                Id = "msg_" + Guid.NewGuid().ToString("N")[..24],
                Model = request.Model,
                // Servers count the prompt only at the end; an estimate here, the real count in message_delta.
                Usage = new Usage { InputTokens = estimatedInputTokens, OutputTokens = 0 },
            },
        };
    }

    private IEnumerable<StreamEvent> Content(ChatDelta? delta)
    {
        if (delta is null) yield break;
        var reasoning = settings.ReasoningField switch
        {
            ReasoningField.ReasoningContent => delta.ReasoningContent,
            ReasoningField.Reasoning => delta.Reasoning,
            _ => string.IsNullOrEmpty(delta.ReasoningContent) ? delta.Reasoning : delta.ReasoningContent,
        };
        if (!string.IsNullOrEmpty(reasoning)) foreach (var e in Write(ContentBlockTypes.Thinking, reasoning)) yield return e;
        if (!string.IsNullOrEmpty(delta.Content)) foreach (var e in Write(ContentBlockTypes.Text, delta.Content)) yield return e;
        if (!string.IsNullOrEmpty(delta.Refusal))
        {
            _refused = true;
            foreach (var e in Write(ContentBlockTypes.Text, delta.Refusal)) yield return e;
        }
        foreach (var fragment in delta.ToolCalls ?? [])
            foreach (var e in ToolCallFragment(fragment)) yield return e;
    }

    /// <summary>
    /// Text or reasoning. While a call is half-written it waits. Once calls began, whitespace that would open a block
    /// of its own is noise some servers send between and after calls; inside an open block it is kept.
    /// </summary>
    private IEnumerable<StreamEvent> Write(string kind, string text)
    {
        if (_calls.Count > 0 && _open != kind && string.IsNullOrWhiteSpace(text)) yield break;
        if (_activeCall is { IsComplete: false })
        {
            (_held ??= []).Add((kind, text));
            yield break;
        }
        foreach (var e in Ensure(kind)) yield return e;
        yield return Delta(kind == ContentBlockTypes.Thinking
            ? new StreamDelta { Type = DeltaTypes.Thinking, Thinking = text }
            : new StreamDelta { Type = DeltaTypes.Text, Text = text });
    }

    private IEnumerable<StreamEvent> ToolCallFragment(ChatToolCallDelta fragment)
    {
        var key = fragment.Index
                  ?? (fragment.Id is { Length: > 0 } id && _lastCall?.Id != id ? _calls.Count : _lastCall is null ? 0 : _calls.IndexOf(_lastCall));
        if (!_callsByIndex.TryGetValue(key, out var call))
        {
            call = new ToolCallState();
            _callsByIndex[key] = call;
            _calls.Add(call);
        }
        _lastCall = call;
        if (call.Id is null && fragment.Id is { Length: > 0 } newId) call.Id = newId;
        if (call.Name is null && fragment.Function?.Name is { Length: > 0 } name) call.Name = name;
        var arguments = fragment.Function?.Arguments;
        if (call.Finished)
        {
            if (!string.IsNullOrWhiteSpace(arguments)) log($"dropped arguments for {call.Name} that came after the call was complete");
            yield break;
        }
        if (!string.IsNullOrEmpty(arguments)) call.Arguments.Append(arguments);

        if (call == _activeCall)
        {
            foreach (var e in SendArguments(call)) yield return e;
            yield break;
        }
        if (call.Name is null || IsHeldWhole(call)) yield break;
        if (_activeCall is not null)
        {
            if (!_activeCall.IsComplete) yield break; // interleaved: sent whole at the end
            foreach (var e in Close()) yield return e;
        }
        foreach (var e in OpenToolUse(call)) yield return e;
        foreach (var e in SendArguments(call)) yield return e;
    }

    /// <summary><c>enhancetool</c> heals whole calls; the <c>tooluse</c> exit call becomes text.</summary>
    private bool IsHeldWhole(ToolCallState call) => settings.HealsToolCalls || call.Name == settings.ExitTool;

    private IEnumerable<StreamEvent> OpenToolUse(ToolCallState call)
    {
        // Closing may release held text into a block of its own: close until nothing is open.
        while (_open is not null) foreach (var e in Close()) yield return e;
        _index++;
        _open = ContentBlockTypes.ToolUse;
        _activeCall = call;
        _calledTools = true;
        yield return new StreamEvent
        {
            Type = StreamEventTypes.ContentBlockStart,
            Index = _index,
            ContentBlock = new ContentBlock
            {
                Type = ContentBlockTypes.ToolUse,
                Id = ToolUseId(call.Id),
                Name = toolNames.Restore(call.Name!),
                Input = JsonValues.EmptyObject,
            },
        };
    }

    private IEnumerable<StreamEvent> SendArguments(ToolCallState call)
    {
        if (call.Arguments.Length == call.Sent) yield break;
        var text = call.Arguments.ToString(call.Sent, call.Arguments.Length - call.Sent);
        call.Sent = call.Arguments.Length;
        yield return Delta(new StreamDelta { Type = DeltaTypes.InputJson, PartialJson = text });
    }

    /// <summary>Closes the call being written, then sends every call that was held, each as one whole block.</summary>
    private IEnumerable<StreamEvent> FinishToolCalls()
    {
        foreach (var e in Close()) yield return e;
        foreach (var call in _calls.Where(call => !call.Finished))
        {
            call.Finished = true;
            if (call.Name is null)
            {
                log("dropped a tool call that never named its function");
                continue;
            }
            if (call.Name == settings.ExitTool)
            {
                if (ToolCallRepair.ExitText(call.Arguments.ToString()) is { Length: > 0 } reply)
                    foreach (var e in Write(ContentBlockTypes.Text, reply)) yield return e;
                continue;
            }
            foreach (var e in OpenToolUse(call)) yield return e;
            if (settings.HealsToolCalls)
            {
                var healed = _repair.Heal(toolNames.Restore(call.Name), call.Arguments.ToString());
                call.Arguments.Clear().Append(healed);
            }
            foreach (var e in SendArguments(call)) yield return e;
            foreach (var e in Close()) yield return e;
        }
    }

    /// <summary>Opens a text or thinking block unless one of that kind is open, closing whatever else was.</summary>
    private IEnumerable<StreamEvent> Ensure(string kind)
    {
        while (_open is not null && _open != kind) foreach (var e in Close()) yield return e;
        if (_open == kind) yield break;
        _index++;
        _open = kind;
        yield return new StreamEvent
        {
            Type = StreamEventTypes.ContentBlockStart,
            Index = _index,
            ContentBlock = kind == ContentBlockTypes.Thinking
                ? new ContentBlock { Type = kind, Thinking = "", Signature = "" }
                : new ContentBlock { Type = kind, Text = "" },
        };
    }

    private IEnumerable<StreamEvent> Close()
    {
        if (_open is null) yield break;
        if (_open == ContentBlockTypes.Thinking)
            yield return Delta(new StreamDelta { Type = DeltaTypes.Signature, Signature = SynthesizedSignature.For(provider) });
        if (_activeCall is { } call)
        {
            // A call without arguments still needs an input Claude Code can parse.
            if (call.Arguments.Length == 0) yield return Delta(new StreamDelta { Type = DeltaTypes.InputJson, PartialJson = "{}" });
            call.Finished = true;
            _activeCall = null;
        }
        _open = null;
        yield return new StreamEvent { Type = StreamEventTypes.ContentBlockStop, Index = _index };

        if (_held is null) yield break;
        var held = _held;
        _held = null;
        foreach (var (kind, text) in held)
            foreach (var e in Write(kind, text)) yield return e;
    }

    private StreamEvent Delta(StreamDelta delta) => new() { Type = StreamEventTypes.ContentBlockDelta, Index = _index, Delta = delta };

    private string StopReason() => _finish switch
    {
        "length" => StopReasons.MaxTokens,
        _ when _calledTools => StopReasons.ToolUse,
        "content_filter" => StopReasons.Refusal,
        _ when _refused => StopReasons.Refusal,
        _ when _stopSequence is not null => StopReasons.StopSequence,
        _ => StopReasons.EndTurn,
    };

    /// <summary>Cached prompt tokens are part of <c>prompt_tokens</c>; Anthropic counts them apart, never twice.</summary>
    private Usage FinalUsage()
    {
        if (_usage is not { } usage) return new Usage { InputTokens = estimatedInputTokens, OutputTokens = 0 };
        var cached = usage.PromptTokensDetails?.CachedTokens ?? usage.PromptCacheHitTokens;
        return new Usage
        {
            InputTokens = usage.PromptTokens is { } prompt ? Math.Max(0, prompt - (cached ?? 0)) : estimatedInputTokens,
            OutputTokens = usage.CompletionTokens ?? 0,
            CacheReadInputTokens = cached,
        };
    }

    /// <summary>
    /// Anthropic ids allow letters, digits, '_' and '-'; some servers' ids (<c>functions.Bash:0</c>) do not. Made safe
    /// the one way that never turns two ids into one, so the conversation Claude Code keeps stays valid anywhere.
    /// </summary>
    private static string ToolUseId(string? id)
    {
        if (id is not { Length: > 0 }) return "toolu_sb_" + Guid.NewGuid().ToString("N")[..20];
        return ToolIdRule.Anthropic.Fit(id);
    }

}
