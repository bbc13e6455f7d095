using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Ollama's reply (NDJSON chunks when streaming, one object when not: the same shape) → Anthropic events. Thinking
/// and text open their own blocks as they start; each tool call becomes a whole <c>tool_use</c> block with healed
/// arguments; the final chunk gives the stop reason and token counts.
/// </summary>
internal sealed class OllamaStreamMapper(string provider, string model, int estimatedInputTokens, Action<string> logRepair)
{
    private readonly EventStreamBuilder _events = new(provider);

    public async IAsyncEnumerable<StreamEvent> MapAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Ollama counts the prompt only at the end; an estimate here, the real count in message_delta.
        yield return EventStreamBuilder.MessageStart(model, new Usage { InputTokens = estimatedInputTokens, OutputTokens = 0 });
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var chunk = Parse(line, provider);
            if (chunk.Error is { } error) throw OllamaErrors.MidStream(error, provider);

            Content(chunk.Message);
            if (chunk.Done)
                _events.Finish(StopReason(chunk.DoneReason), new Usage { InputTokens = chunk.PromptEvalCount, OutputTokens = chunk.EvalCount ?? 0 });
            foreach (var e in _events.Drain()) yield return e;
            if (chunk.Done) yield break;
        }
        throw new AnthropicErrorException(AnthropicError.Api($"Ollama ({provider}) ended the reply before it was done.", 502));
    }

    private void Content(OllamaMessage? message)
    {
        if (message is null) return;
        if (!string.IsNullOrEmpty(message.Thinking)) _events.Thinking(message.Thinking);
        if (!string.IsNullOrEmpty(message.Content)) _events.Text(message.Content);
        foreach (var call in message.ToolCalls ?? [])
        {
            var (arguments, repair) = ToolArgumentHealer.Heal(call.Function.Arguments);
            if (repair != ToolArgumentHealer.Repair.None) logRepair($"healed tool-call arguments for {call.Function.Name} ({repair})");
            _events.ToolUse(ToolUseId(call.Id), call.Function.Name, arguments.GetRawText());
        }
    }

    private string StopReason(string? doneReason) => _events.CalledTools
        ? StopReasons.ToolUse
        : doneReason == "length" ? StopReasons.MaxTokens : StopReasons.EndTurn;

    private static string ToolUseId(string? id) =>
        id is { Length: > 0 } ? id : "toolu_sb_" + Guid.NewGuid().ToString("N")[..20];

    private static OllamaChatChunk Parse(string line, string provider)
    {
        try
        {
            return JsonSerializer.Deserialize(line, OllamaJson.Default.OllamaChatChunk)
                   ?? throw new JsonException("null chunk");
        }
        catch (JsonException ex)
        {
            throw new AnthropicErrorException(AnthropicError.Api($"Ollama ({provider}) sent a line that is not JSON: {ex.Message}", 502), ex);
        }
    }
}
