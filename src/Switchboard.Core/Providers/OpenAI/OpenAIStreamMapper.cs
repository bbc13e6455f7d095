using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;
using Switchboard.Sanitizing;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Chat-completions chunks → Anthropic events, as they arrive, through the <see cref="EventStreamBuilder"/> every
/// translating provider shares. Reasoning and text open their own blocks. Tool-call fragments are keyed by index: the
/// call being written streams as <c>input_json_delta</c>s; a call that starts while another is still half-written
/// (interleaved parallel calls) is held and sent whole once the first is done, and text that arrives meanwhile waits
/// for its block to close, so blocks never interleave. Usage may come in a chunk of its own after the finish reason,
/// so the reply ends at <c>[DONE]</c> or the end of the body.
/// </summary>
internal sealed class OpenAIStreamMapper(
    string provider, MessagesRequest request, int estimatedInputTokens, OpenAISettings settings, ToolNameMap toolNames,
    Action<string> log)
{
    private readonly EventStreamBuilder _events = new(provider);
    private readonly List<ToolCallState> _calls = [];
    private readonly Dictionary<int, ToolCallState> _callsByIndex = [];
    private readonly ToolCallRepair _repair = new(request.Tools, log);
    private List<(string Kind, string Text)>? _held;
    private ToolCallState? _activeCall;
    private ToolCallState? _lastCall;
    private bool _started, _refused;
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
            Add(chunk);
            foreach (var e in _events.Drain()) yield return e;
        }
        if (!done && _finish is null)
            throw new AnthropicErrorException(AnthropicError.Api($"{provider} ended the reply before it was done.", 502));
        // OpenRouter's finish reason when the routed provider failed without saying more.
        if (_finish == "error")
            throw new AnthropicErrorException(AnthropicError.Api($"{provider} stopped the reply with an error.", 502));

        if (!_started) yield return Start();
        FinishToolCalls();
        while (_events.OpenBlock is not null) Close();
        _events.Finish(StopReason(), FinalUsage(), _stopSequence);
        foreach (var e in _events.Drain()) yield return e;
    }

    private StreamEvent Start()
    {
        _started = true;
        // Servers count the prompt only at the end; an estimate here, the real count in message_delta.
        return EventStreamBuilder.MessageStart(request.Model!, new Usage { InputTokens = estimatedInputTokens, OutputTokens = 0 });
    }

    private void Add(ChatChunk chunk)
    {
        if (chunk.Usage is { } usage) _usage = usage;
        if (chunk.Choices?.Find(choice => (choice.Index ?? 0) == 0) is not { } choice) return;
        Content(choice.Delta ?? choice.Message);
        if (choice.FinishReason is { Length: > 0 } finish) _finish = finish;
        if (choice.StopReason is { ValueKind: JsonValueKind.String } stop && request.StopSequences?.Contains(stop.GetString()!) == true)
            _stopSequence = stop.GetString();
    }

    private void Content(ChatDelta? delta)
    {
        if (delta is null) return;
        var reasoning = settings.ReasoningField switch
        {
            ReasoningField.ReasoningContent => delta.ReasoningContent,
            ReasoningField.Reasoning => delta.Reasoning,
            _ => string.IsNullOrEmpty(delta.ReasoningContent) ? delta.Reasoning : delta.ReasoningContent,
        };
        if (!string.IsNullOrEmpty(reasoning)) Write(ContentBlockTypes.Thinking, reasoning);
        if (!string.IsNullOrEmpty(delta.Content)) Write(ContentBlockTypes.Text, delta.Content);
        if (!string.IsNullOrEmpty(delta.Refusal))
        {
            _refused = true;
            Write(ContentBlockTypes.Text, delta.Refusal);
        }
        foreach (var fragment in delta.ToolCalls ?? []) ToolCallFragment(fragment);
    }

    /// <summary>
    /// Text or reasoning. While a call is half-written it waits. Once calls began, whitespace that would open a block
    /// of its own is noise some servers send between and after calls; inside an open block it is kept.
    /// </summary>
    private void Write(string kind, string text)
    {
        if (_calls.Count > 0 && _events.OpenBlock != kind && string.IsNullOrWhiteSpace(text)) return;
        if (_activeCall is { IsComplete: false })
        {
            (_held ??= []).Add((kind, text));
            return;
        }
        // Closed here, not by the builder: closing may release held text, which must come first.
        while (_events.OpenBlock is { } open && open != kind) Close();
        if (kind == ContentBlockTypes.Thinking) _events.Thinking(text);
        else _events.Text(text);
    }

    private void ToolCallFragment(ChatToolCallDelta fragment)
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
            return;
        }
        if (!string.IsNullOrEmpty(arguments)) call.Arguments.Append(arguments);

        if (call == _activeCall)
        {
            SendArguments(call);
            return;
        }
        if (call.Name is null || IsHeldWhole(call)) return;
        if (_activeCall is not null)
        {
            if (!_activeCall.IsComplete) return; // interleaved: sent whole at the end
            Close();
        }
        OpenToolUse(call);
        SendArguments(call);
    }

    /// <summary><c>enhancetool</c> heals whole calls; the <c>tooluse</c> exit call becomes text.</summary>
    private bool IsHeldWhole(ToolCallState call) => settings.HealsToolCalls || call.Name == settings.ExitTool;

    private void OpenToolUse(ToolCallState call)
    {
        // Closing may release held text into a block of its own: close until nothing is open.
        while (_events.OpenBlock is not null) Close();
        _activeCall = call;
        _events.BeginToolUse(ToolUseId(call.Id), toolNames.Restore(call.Name!));
    }

    private void SendArguments(ToolCallState call)
    {
        if (call.Arguments.Length == call.Sent) return;
        var text = call.Arguments.ToString(call.Sent, call.Arguments.Length - call.Sent);
        call.Sent = call.Arguments.Length;
        _events.ToolInput(text);
    }

    /// <summary>Closes the call being written, then sends every call that was held, each as one whole block.</summary>
    private void FinishToolCalls()
    {
        Close();
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
                if (ToolCallRepair.ExitText(call.Arguments.ToString()) is { Length: > 0 } reply) Write(ContentBlockTypes.Text, reply);
                continue;
            }
            OpenToolUse(call);
            if (settings.HealsToolCalls)
            {
                var healed = _repair.Heal(toolNames.Restore(call.Name), call.Arguments.ToString());
                call.Arguments.Clear().Append(healed);
            }
            SendArguments(call);
            Close();
        }
    }

    /// <summary>Closes the open block (finishing the call it holds, if any), then writes the text held while it was open.</summary>
    private void Close()
    {
        if (_events.OpenBlock is null) return;
        if (_activeCall is { } call)
        {
            // A call without arguments still needs an input Claude Code can parse.
            if (call.Arguments.Length == 0) _events.ToolInput("{}");
            call.Finished = true;
            _activeCall = null;
        }
        _events.Close();

        if (_held is null) return;
        var held = _held;
        _held = null;
        foreach (var (kind, text) in held) Write(kind, text);
    }

    private string StopReason() => _finish switch
    {
        "length" => StopReasons.MaxTokens,
        _ when _events.CalledTools => StopReasons.ToolUse,
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
