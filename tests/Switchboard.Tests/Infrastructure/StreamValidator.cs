using Switchboard.Anthropic;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// What a client's stream parser (Claude Code's among them) insists on: <c>message_start</c> first; every delta for a
/// block that is open and of the delta's type; stops only for open blocks; each index opened once, counting up;
/// thinking closed with a signature; every block closed before <c>message_delta</c>, which carries a stop reason;
/// <c>message_stop</c> last (or an <c>error</c> event). Returns the problems found, none for a well-formed stream.
/// </summary>
public static class StreamValidator
{
    public static List<string> Problems(IReadOnlyList<StreamEvent> events)
    {
        var problems = new List<string>();
        var open = new Dictionary<int, (string Type, bool Signed)>();
        var opened = new HashSet<int>();
        var lastIndex = -1;
        var sawDelta = false;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var at = $"event {i} ({e.Type})";
            if (i == 0 && e.Type != StreamEventTypes.MessageStart) problems.Add($"{at}: the stream does not begin with message_start");
            switch (e.Type)
            {
                case StreamEventTypes.MessageStart when i > 0:
                    problems.Add($"{at}: a second message_start");
                    break;
                case StreamEventTypes.ContentBlockStart:
                    var index = e.Index ?? -1;
                    if (!opened.Add(index)) problems.Add($"{at}: index {index} opened twice");
                    if (index <= lastIndex) problems.Add($"{at}: index {index} does not count up from {lastIndex}");
                    lastIndex = Math.Max(lastIndex, index);
                    open[index] = (e.ContentBlock?.Type ?? "?", !string.IsNullOrEmpty(e.ContentBlock?.Signature));
                    break;
                case StreamEventTypes.ContentBlockDelta:
                    if (!open.TryGetValue(e.Index ?? -1, out var block)) problems.Add($"{at}: delta for block {e.Index}, which is not open");
                    else if (!Fits(block.Type, e.Delta?.Type)) problems.Add($"{at}: {e.Delta?.Type} for a {block.Type} block");
                    else if (e.Delta is { Type: DeltaTypes.Signature, Signature.Length: > 0 }) open[e.Index!.Value] = (block.Type, true);
                    break;
                case StreamEventTypes.ContentBlockStop:
                    if (!open.Remove(e.Index ?? -1, out var closed)) problems.Add($"{at}: stop for block {e.Index}, which is not open");
                    else if (closed.Type == ContentBlockTypes.Thinking && !closed.Signed) problems.Add($"{at}: thinking block {e.Index} closed without a signature");
                    break;
                case StreamEventTypes.MessageDelta:
                    if (open.Count > 0) problems.Add($"{at}: blocks {string.Join(",", open.Keys)} still open");
                    if (e.Delta?.StopReason is null) problems.Add($"{at}: no stop reason");
                    sawDelta = true;
                    break;
                case StreamEventTypes.MessageStop:
                    if (!sawDelta) problems.Add($"{at}: message_stop without message_delta");
                    if (i != events.Count - 1) problems.Add($"{at}: events follow message_stop");
                    break;
                case StreamEventTypes.Error:
                    if (i != events.Count - 1) problems.Add($"{at}: events follow the error");
                    break;
            }
        }
        if (events.Count > 0 && events[^1].Type is not (StreamEventTypes.MessageStop or StreamEventTypes.Error))
            problems.Add($"the stream ends with {events[^1].Type}, not message_stop");
        return problems;
    }

    private static bool Fits(string blockType, string? deltaType) => deltaType switch
    {
        DeltaTypes.Text or DeltaTypes.Citations => blockType == ContentBlockTypes.Text,
        DeltaTypes.Thinking or DeltaTypes.Signature => blockType == ContentBlockTypes.Thinking,
        DeltaTypes.InputJson => blockType.EndsWith("tool_use", StringComparison.Ordinal),
        _ => true,
    };
}
