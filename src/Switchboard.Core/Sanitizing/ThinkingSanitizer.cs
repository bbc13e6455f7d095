using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// Anthropic validates the signature of every thinking block it sees again, and refuses the whole request over one
/// it did not sign. Before a conversation goes to Anthropic, thinking no Anthropic model signed (an empty,
/// placeholder or short signature, or one Switchboard synthesized for another provider's thinking) becomes a short
/// text marker; an empty block that only carried another provider's state is dropped. Real signatures are untouched.
/// Anthropic also wants the assistant turn a tool loop is continuing to open with its thinking: when that thinking is
/// the one replaced here, thinking is turned off for this request, the way Anthropic's own error message advises.
/// For an Anthropic-compatible server, which cannot read Anthropic's encrypted thinking, <c>redacted_thinking</c> is dropped.
/// </summary>
internal sealed class ThinkingSanitizer : IRequestRepair
{
    public const string Marker = "[thinking from another model omitted]";

    /// <summary>Anthropic's signatures are long base64; anything shorter is a placeholder someone made up.</summary>
    private const int ShortestSignature = 64;

    public bool Applies(MessagesRequest request, TargetProfile target) => target switch
    {
        { VerifiesThinkingSignatures: true } => AssistantBlocks(request).Any(IsForeignThinking) || MustTurnThinkingOff(request),
        { Wire: TargetWire.AnthropicCompatible } => AssistantBlocks(request).Any(IsRedacted),
        _ => false,
    };

    public Repaired Apply(MessagesRequest request, TargetProfile target)
    {
        if (!target.VerifiesThinkingSignatures)
        {
            var redacted = 0;
            foreach (var message in History.Messages(request).Where(IsAssistant))
                redacted += History.EditableBlocks(message).RemoveAll(IsRedacted);
            return new(request, $"dropped {History.Count(redacted, "redacted thinking block")} only Anthropic can read");
        }

        var replaced = 0;
        var messages = History.Messages(request);
        var continued = ContinuedTurn(messages);
        var continuedLostThinking = false;
        for (var i = 0; i < messages.Count; i++)
        {
            if (!IsAssistant(messages[i]) || messages[i].Content?.Blocks is not { } blocks || !blocks.Any(IsForeignThinking)) continue;
            replaced += blocks.Count(IsForeignThinking);
            if (i == continued) continuedLostThinking = true;
            for (var j = blocks.Count - 1; j >= 0; j--)
            {
                if (!IsForeignThinking(blocks[j])) continue;
                if (string.IsNullOrWhiteSpace(blocks[j].Thinking)) blocks.RemoveAt(j);
                else blocks[j] = History.Text(Marker);
            }
            // Anthropic refuses an assistant turn without content.
            if (blocks.Count == 0) blocks.Add(History.Text(Marker));
        }

        var line = $"dropped {History.Count(replaced, "unsigned thinking block")}";
        if (!continuedLostThinking && !MustTurnThinkingOff(request)) return new(request, line);
        return new(ThinkingOff(request), line + "; thinking off for this request, as the tool loop it continues has no signed thinking");
    }

    private static bool IsAssistant(Message message) => message.Role == History.Assistant;

    private static IEnumerable<ContentBlock> AssistantBlocks(MessagesRequest request) =>
        History.Messages(request).Where(IsAssistant).SelectMany(message => message.Content?.AsBlocks() ?? []);

    private static bool IsRedacted(ContentBlock block) => block.Type == ContentBlockTypes.RedactedThinking;

    private static bool IsForeignThinking(ContentBlock block) =>
        block.Type == ContentBlockTypes.Thinking && !LooksSignedByAnthropic(block.Signature);

    public static bool LooksSignedByAnthropic(string? signature) =>
        signature is { Length: >= ShortestSignature } &&
        !SynthesizedSignature.IsSynthesized(signature) &&
        signature.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '-' or '_');

    /// <summary>The assistant turn whose tool calls the last turn answers (a tool loop in progress), or -1.</summary>
    private static int ContinuedTurn(List<Message> messages)
    {
        var last = History.Previous(messages, messages.Count);
        if (last < 0 || messages[last].Role != History.User || messages[last].Content?.Blocks?.Any(History.IsToolResult) != true) return -1;
        var previous = History.Previous(messages, last);
        return previous >= 0 && IsAssistant(messages[previous]) ? previous : -1;
    }

    /// <summary>
    /// With thinking <c>enabled</c>, a continued tool loop must open with thinking; another provider's turn never
    /// does. (Adaptive thinking lets the model skip it, so only thinking replaced here counts there.)
    /// </summary>
    private static bool MustTurnThinkingOff(MessagesRequest request)
    {
        if (request.Thinking?.Type != "enabled") return false;
        var messages = History.Messages(request);
        var continued = ContinuedTurn(messages);
        return continued >= 0 &&
               messages[continued].Content?.AsBlocks().FirstOrDefault()?.Type is not (ContentBlockTypes.Thinking or ContentBlockTypes.RedactedThinking);
    }

    /// <summary>Off, with the context edits that only exist for thinking (<c>clear_thinking_*</c>) removed too.</summary>
    private static MessagesRequest ThinkingOff(MessagesRequest request)
    {
        request = request with { Thinking = null };
        if (request.ContextManagement?.Edits is not { ValueKind: JsonValueKind.Array } edits) return request;
        var kept = edits.EnumerateArray()
            .Where(edit => !(edit.TryGetProperty("type", out var type) && type.GetString()?.StartsWith("clear_thinking", StringComparison.Ordinal) == true))
            .ToList();
        if (kept.Count == 0 && request.ContextManagement.Extra is null) return request with { ContextManagement = null };
        request.ContextManagement.Edits = JsonSerializer.SerializeToElement(kept, CoreJson.Default.ListJsonElement);
        return request;
    }
}
