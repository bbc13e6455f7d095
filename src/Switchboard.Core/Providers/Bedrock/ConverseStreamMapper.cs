using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Bedrock Converse → Anthropic events. Streaming: one event-stream message per event (<c>contentBlockStart</c>,
/// <c>contentBlockDelta</c> with text, tool input, reasoning text or signature, <c>contentBlockStop</c>,
/// <c>messageStop</c>, <c>metadata</c> with usage), or an exception message. Not streaming: one reply with the same
/// blocks, fed through the same builder.
/// </summary>
internal sealed class ConverseStreamMapper(string provider, string model, int estimatedInputTokens)
{
    private readonly EventStreamBuilder _events = new(provider);
    private string? _stopReason;
    private ConverseUsage? _usage;

    public async IAsyncEnumerable<StreamEvent> MapStreamAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Start();
        await foreach (var message in BedrockEventStream.ReadAsync(body, cancellationToken).ConfigureAwait(false))
        {
            if (message.Header(BedrockEventStream.MessageType) is "exception" or "error")
                throw BedrockErrors.FromStreamException(
                    message.Header(BedrockEventStream.ExceptionType) ?? message.Header(":error-code"), message.Payload, provider, model);
            var eventType = message.Header(BedrockEventStream.EventType);
            Add(eventType, message.Payload);
            foreach (var e in _events.Drain()) yield return e;
            // metadata (the usage) is Converse's last event: the reply is complete, whether or not the connection closes.
            if (eventType == "metadata") break;
        }
        foreach (var e in Finish()) yield return e;
    }

    public async IAsyncEnumerable<StreamEvent> MapWholeAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Start();
        var reply = await JsonSerializer.DeserializeAsync(body, BedrockJson.Default.ConverseResponse, cancellationToken).ConfigureAwait(false);
        foreach (var block in reply?.Output?.Message?.Content ?? [])
        {
            if (block.Text is { } text) _events.Text(text);
            else if (block.ToolUse is { } call) _events.ToolUse(call.ToolUseId, call.Name, call.Input?.GetRawText() ?? "{}");
            else if (block.ReasoningContent?.ReasoningText is { } reasoning)
            {
                _events.Thinking(reasoning.Text);
                if (reasoning.Signature is { Length: > 0 } signature) _events.SignThinking(signature);
                _events.Close();
            }
            else if (block.ReasoningContent?.RedactedContent is { } redacted) _events.RedactedThinking(redacted);
        }
        _stopReason = reply?.StopReason;
        _usage = reply?.Usage;
        foreach (var e in Finish()) yield return e;
    }

    private StreamEvent Start() =>
        // Bedrock reports usage only at the end (the metadata event); an estimate here, the count in message_delta.
        EventStreamBuilder.MessageStart(model, new Usage { InputTokens = estimatedInputTokens, OutputTokens = 0 });

    private void Add(string? eventType, byte[] payload)
    {
        switch (eventType)
        {
            case "contentBlockStart":
                if (Parse(payload, BedrockJson.Default.ConverseBlockStart)?.Start?.ToolUse is { } call)
                    _events.BeginToolUse(call.ToolUseId, call.Name);
                break;
            case "contentBlockDelta":
                var delta = Parse(payload, BedrockJson.Default.ConverseBlockDelta)?.Delta;
                if (delta?.Text is { } text) _events.Text(text);
                else if (delta?.ToolUse?.Input is { } input) _events.ToolInput(input);
                else if (delta?.ReasoningContent is { } reasoning)
                {
                    if (reasoning.Text is { } thinking) _events.Thinking(thinking);
                    if (reasoning.Signature is { Length: > 0 } signature) _events.SignThinking(signature);
                    if (reasoning.RedactedContent is { } redacted) _events.RedactedThinking(redacted);
                }
                break;
            case "contentBlockStop":
                _events.Close();
                break;
            case "messageStop":
                _stopReason = Parse(payload, BedrockJson.Default.ConverseMessageStop)?.StopReason;
                break;
            case "metadata":
                _usage = Parse(payload, BedrockJson.Default.ConverseMetadata)?.Usage;
                break;
        }
    }

    private IEnumerable<StreamEvent> Finish()
    {
        if (_stopReason is null)
            throw new AnthropicErrorException(AnthropicError.Api($"Bedrock ({provider}) ended the reply before it was done.", 502));
        if (_stopReason is "malformed_tool_use" or "malformed_model_output")
            _events.Text($"\n\n[Bedrock ({provider}): the model's output was malformed ({_stopReason}) and was cut off]");
        if (_stopReason is "guardrail_intervened" or "content_filtered")
            _events.Text($"\n\n[Bedrock ({provider}) stopped the answer: {_stopReason}]");
        _events.Finish(StopReason(_stopReason), new Usage
        {
            InputTokens = _usage?.InputTokens ?? estimatedInputTokens,
            OutputTokens = _usage?.OutputTokens ?? 0,
            CacheReadInputTokens = _usage?.CacheReadInputTokens,
            CacheCreationInputTokens = _usage?.CacheWriteInputTokens,
        });
        return _events.Drain();
    }

    private string StopReason(string reason) => reason switch
    {
        _ when _events.CalledTools && reason is "tool_use" or "end_turn" => StopReasons.ToolUse,
        "max_tokens" => StopReasons.MaxTokens,
        "stop_sequence" => StopReasons.StopSequence,
        "guardrail_intervened" or "content_filtered" => StopReasons.Refusal,
        // Anthropic's own name for it: Claude Code knows what to do.
        "model_context_window_exceeded" => "model_context_window_exceeded",
        _ => StopReasons.EndTurn,
    };

    private static T? Parse<T>(byte[] payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(payload, type);
        }
        catch (JsonException ex)
        {
            throw new AnthropicErrorException(AnthropicError.Api($"Bedrock sent an event that is not JSON: {ex.Message}", 502), ex);
        }
    }
}
