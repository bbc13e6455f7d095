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

    /// <summary>
    /// Reads an SSE reply as a client would and checks it: every event must parse, its <c>event:</c> name must match
    /// its payload's type, and the events must keep the grammar of <see cref="Problems(IReadOnlyList{StreamEvent})"/>.
    /// Returns the events; throws <see cref="MalformedStreamException"/> naming every problem.
    /// </summary>
    public static List<StreamEvent> EnsureWellFormed(string sse)
    {
        var events = new List<StreamEvent>();
        var problems = new List<string>();
        var normalized = sse.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (normalized.Length > 0 && !normalized.EndsWith("\n\n", StringComparison.Ordinal))
            problems.Add("the stream does not end with a complete event (a blank line)");
        foreach (var raw in normalized.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var data = new System.Text.StringBuilder();
            foreach (var line in raw.Split('\n'))
            {
                if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
                else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line[5..].TrimStart());
                else if (line.Length > 0 && !line.StartsWith(':')) problems.Add($"a line that is not SSE: {Cut(line)}");
            }
            if (data.Length == 0) continue;
            StreamEvent? parsed = null;
            try
            {
                parsed = System.Text.Json.JsonSerializer.Deserialize(data.ToString(), AnthropicJson.Default.StreamEvent);
            }
            catch (System.Text.Json.JsonException ex)
            {
                problems.Add($"an event that does not parse ({ex.Message}): {Cut(data.ToString())}");
            }
            if (parsed is null) continue;
            if (name is not null && parsed.Type != name) problems.Add($"event: {name} carries a {parsed.Type} payload");
            events.Add(parsed);
        }
        problems.AddRange(Problems(events));
        if (problems.Count > 0) throw new MalformedStreamException("malformed stream:\n  " + string.Join("\n  ", problems) + "\n--- stream\n" + Cut(sse, 4000));
        return events;
    }

    private static string Cut(string text, int length = 200) => text.Length <= length ? text : text[..length] + "…";

    private static bool Fits(string blockType, string? deltaType) => deltaType switch
    {
        DeltaTypes.Text or DeltaTypes.Citations => blockType == ContentBlockTypes.Text,
        DeltaTypes.Thinking or DeltaTypes.Signature => blockType == ContentBlockTypes.Thinking,
        DeltaTypes.InputJson => blockType.EndsWith("tool_use", StringComparison.Ordinal),
        _ => true,
    };
}
