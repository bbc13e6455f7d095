using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Gemini's reply (SSE chunks when streaming, one object when not: the same shape) → Anthropic events. Thought parts
/// become thinking, text becomes text, each function call a whole <c>tool_use</c>; the finish reason and the last
/// <c>usageMetadata</c> close the message. Safety stops and blocked prompts end as <c>refusal</c> with the reason.
/// </summary>
internal sealed class GeminiStreamMapper(string provider, string model, int estimatedInputTokens)
{
    private readonly EventStreamBuilder _events = new(provider);
    private readonly string _fallbackResponseId = Guid.NewGuid().ToString("N")[..16];
    private string? _finishReason;
    private string? _finishMessage;
    private string? _blockReason;
    private GeminiUsage? _usage;
    private int _calls;

    public async IAsyncEnumerable<StreamEvent> MapStreamAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Start();
        var parser = SseParser.Create(body, static (_, data) => data.IsEmpty ? null : Parse(data));
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is not { } chunk) continue;
            Add(chunk);
            foreach (var e in _events.Drain()) yield return e;
            // The chunk with the finish reason carries the final usage: the reply is complete, whether or not the
            // connection closes. (A blocked prompt is answered by one chunk, too.)
            if ((_finishReason is not null && chunk.UsageMetadata is not null) || _blockReason is not null) break;
        }
        foreach (var e in Finish()) yield return e;
    }

    public async IAsyncEnumerable<StreamEvent> MapWholeAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Start();
        var reply = await JsonSerializer.DeserializeAsync(body, GeminiJson.Default.GeminiResponse, cancellationToken).ConfigureAwait(false)
                    ?? throw new AnthropicErrorException(AnthropicError.Api("Gemini sent an empty reply.", 502));
        Add(reply);
        foreach (var e in Finish()) yield return e;
    }

    private StreamEvent Start() =>
        // Gemini counts the prompt with every chunk but only after the first; an estimate here, the count at the end.
        EventStreamBuilder.MessageStart(model, new Usage { InputTokens = estimatedInputTokens, OutputTokens = 0 });

    private void Add(GeminiResponse chunk)
    {
        if (chunk.Error is { } error) throw GeminiErrors.From(error, provider, model, midStream: true);
        if (chunk.UsageMetadata is { } usage) _usage = usage;
        if (chunk.PromptFeedback?.BlockReason is { } blocked) _blockReason = blocked + Suffix(chunk.PromptFeedback.BlockReasonMessage);
        var candidate = chunk.Candidates?.FirstOrDefault();
        if (candidate is null) return;
        foreach (var part in candidate.Content?.Parts ?? [])
        {
            if (part.FunctionCall is { } call)
            {
                if (part.ThoughtSignature is { Length: > 0 } signature) _events.SignedThinkingBlock("", GeminiSignatures.Carrier(signature));
                var id = GeminiSignatures.CallId(call.Id, ResponseId(chunk), _calls++);
                _events.ToolUse(id, call.Name, call.Args is { ValueKind: JsonValueKind.Object } args ? args.GetRawText() : "{}");
            }
            else if (part.Thought == true) _events.Thinking(part.Text ?? "");
            else if (part.Text is { } text) _events.Text(text);
        }
        if (candidate.FinishReason is { } reason)
        {
            _finishReason = reason;
            _finishMessage = candidate.FinishMessage;
        }
    }

    private IEnumerable<StreamEvent> Finish()
    {
        var reason = _finishReason;
        if (_blockReason is not null)
            _events.Text($"Gemini ({provider}) refused the prompt: blocked for {_blockReason}.");
        else if (reason is null)
            throw new AnthropicErrorException(AnthropicError.Api($"Gemini ({provider}) ended the reply before it was done.", 502));
        else if (IsRefusal(reason))
            _events.Text($"\n\n[Gemini ({provider}) stopped the answer: {reason}{Suffix(_finishMessage)}]");
        else if (reason == "MALFORMED_FUNCTION_CALL")
            _events.Text($"\n\n[Gemini ({provider}) produced a malformed function call and stopped{Suffix(_finishMessage)}]");

        var stopReason = _blockReason is not null || IsRefusal(reason) ? StopReasons.Refusal
            : _events.CalledTools ? StopReasons.ToolUse
            : reason == "MAX_TOKENS" ? StopReasons.MaxTokens
            : StopReasons.EndTurn;
        _events.Finish(stopReason, Usage());
        return _events.Drain();
    }

    /// <summary>Cached prompt tokens are reported apart, not twice; thought tokens are output, as Gemini bills them.</summary>
    private Usage Usage()
    {
        var prompt = (_usage?.PromptTokenCount ?? estimatedInputTokens) + (_usage?.ToolUsePromptTokenCount ?? 0);
        var cached = _usage?.CachedContentTokenCount ?? 0;
        return new Usage
        {
            InputTokens = Math.Max(0, prompt - cached),
            OutputTokens = (_usage?.CandidatesTokenCount ?? 0) + (_usage?.ThoughtsTokenCount ?? 0),
            CacheReadInputTokens = cached,
        };
    }

    private static bool IsRefusal(string? reason) =>
        reason is "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "LANGUAGE";

    private string ResponseId(GeminiResponse chunk) =>
        chunk.ResponseId is { Length: > 0 } id ? new string(id.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-').ToArray()) : _fallbackResponseId;

    private static string Suffix(string? message) => string.IsNullOrEmpty(message) ? "" : ": " + message;

    private static GeminiResponse? Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            return JsonSerializer.Deserialize(data, GeminiJson.Default.GeminiResponse);
        }
        catch (JsonException ex)
        {
            throw new AnthropicErrorException(AnthropicError.Api($"Gemini sent a chunk that is not JSON: {ex.Message}", 502), ex);
        }
    }
}
