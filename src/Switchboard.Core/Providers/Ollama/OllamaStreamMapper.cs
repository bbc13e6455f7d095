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
    private int _index = -1;
    private string? _open;
    private bool _calledTools;

    public async IAsyncEnumerable<StreamEvent> MapAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return Start();
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var chunk = Parse(line);
            if (chunk.Error is { } error) throw OllamaErrors.MidStream(error);

            foreach (var e in Content(chunk.Message)) yield return e;
            if (!chunk.Done) continue;

            foreach (var e in Close()) yield return e;
            yield return new StreamEvent
            {
                Type = StreamEventTypes.MessageDelta,
                Delta = new StreamDelta { StopReason = StopReason(chunk.DoneReason) },
                Usage = new Usage { InputTokens = chunk.PromptEvalCount, OutputTokens = chunk.EvalCount ?? 0 },
            };
            yield return new StreamEvent { Type = StreamEventTypes.MessageStop };
            yield break;
        }
        throw new AnthropicErrorException(AnthropicError.Api("Ollama ended the reply before it was done.", 502));
    }

    private StreamEvent Start() => new()
    {
        Type = StreamEventTypes.MessageStart,
        Message = new MessageResponse
        {
            Id = "msg_" + Guid.NewGuid().ToString("N")[..24],
            Model = model,
            // Ollama counts the prompt only at the end; an estimate here, the real count in message_delta.
            Usage = new Usage { InputTokens = estimatedInputTokens, OutputTokens = 0 },
        },
    };

    private IEnumerable<StreamEvent> Content(OllamaMessage? message)
    {
        if (message is null) yield break;
        if (!string.IsNullOrEmpty(message.Thinking))
        {
            foreach (var e in Ensure(ContentBlockTypes.Thinking)) yield return e;
            yield return Delta(new StreamDelta { Type = DeltaTypes.Thinking, Thinking = message.Thinking });
        }
        if (!string.IsNullOrEmpty(message.Content))
        {
            foreach (var e in Ensure(ContentBlockTypes.Text)) yield return e;
            yield return Delta(new StreamDelta { Type = DeltaTypes.Text, Text = message.Content });
        }
        foreach (var call in message.ToolCalls ?? [])
        {
            foreach (var e in Close()) yield return e;
            _calledTools = true;
            _index++;
            var (arguments, repair) = ToolArgumentHealer.Heal(call.Function.Arguments);
            if (repair != ToolArgumentHealer.Repair.None) logRepair($"healed tool-call arguments for {call.Function.Name} ({repair})");
            yield return new StreamEvent
            {
                Type = StreamEventTypes.ContentBlockStart,
                Index = _index,
                ContentBlock = new ContentBlock
                {
                    Type = ContentBlockTypes.ToolUse,
                    Id = ToolUseId(call.Id),
                    Name = call.Function.Name,
                    Input = EmptyObject,
                },
            };
            yield return Delta(new StreamDelta { Type = DeltaTypes.InputJson, PartialJson = arguments.GetRawText() });
            yield return new StreamEvent { Type = StreamEventTypes.ContentBlockStop, Index = _index };
        }
    }

    /// <summary>Opens a block of <paramref name="type"/> unless one is open, closing whatever else was.</summary>
    private IEnumerable<StreamEvent> Ensure(string type)
    {
        if (_open == type) yield break;
        foreach (var e in Close()) yield return e;
        _index++;
        _open = type;
        yield return new StreamEvent
        {
            Type = StreamEventTypes.ContentBlockStart,
            Index = _index,
            ContentBlock = type == ContentBlockTypes.Thinking
                ? new ContentBlock { Type = type, Thinking = "", Signature = "" }
                : new ContentBlock { Type = type, Text = "" },
        };
    }

    private IEnumerable<StreamEvent> Close()
    {
        if (_open is null) yield break;
        // Claude Code drops thinking that carries no signature; ours says it is Switchboard's, never Anthropic's.
        if (_open == ContentBlockTypes.Thinking)
            yield return Delta(new StreamDelta { Type = DeltaTypes.Signature, Signature = SynthesizedSignature.For(provider) });
        _open = null;
        yield return new StreamEvent { Type = StreamEventTypes.ContentBlockStop, Index = _index };
    }

    private StreamEvent Delta(StreamDelta delta) => new() { Type = StreamEventTypes.ContentBlockDelta, Index = _index, Delta = delta };

    private string StopReason(string? doneReason) => _calledTools
        ? StopReasons.ToolUse
        : doneReason == "length" ? StopReasons.MaxTokens : StopReasons.EndTurn;

    private static string ToolUseId(string? id) =>
        id is { Length: > 0 } ? id : "toolu_sb_" + Guid.NewGuid().ToString("N")[..20];

    private static OllamaChatChunk Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, OllamaJson.Default.OllamaChatChunk)
                   ?? throw new JsonException("null chunk");
        }
        catch (JsonException ex)
        {
            throw new AnthropicErrorException(AnthropicError.Api($"Ollama sent a line that is not JSON: {ex.Message}", 502), ex);
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}
