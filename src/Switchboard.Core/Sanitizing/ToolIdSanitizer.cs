using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// Tool-use ids the target would refuse (<c>functions.Read:0</c>, <c>call.e2e:1#2</c>, ids over its length limit, an
/// id used twice, as some servers number every turn's calls from <c>call_0</c>) are rewritten, and every
/// <c>tool_result</c> follows its call: a result answers the calls of the assistant turn before it, so the
/// call/result graph stays whole. Rewrites are deterministic (the same history gives the same ids on every request,
/// which keeps prompt caches warm) and never collide: two different calls never share an id.
/// </summary>
internal sealed class ToolIdSanitizer : IRequestRepair
{
    public bool Applies(MessagesRequest request, TargetProfile target)
    {
        if (target.ToolIds is not { } rule) return false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in History.Messages(request).SelectMany(message => message.Content?.AsBlocks() ?? []))
        {
            if (History.IsToolUse(block) && (!rule.Accepts(block.Id) || !seen.Add(block.Id!))) return true;
            if (History.IsToolResult(block) && !rule.Accepts(block.ToolUseId)) return true;
        }
        return false;
    }

    public Repaired Apply(MessagesRequest request, TargetProfile target)
    {
        var rule = target.ToolIds!;
        var messages = History.Messages(request);
        // Ids that stay as they are, wherever they stand: a rewrite may never land on one of them.
        var reserved = messages.SelectMany(message => message.Content?.Blocks ?? [])
            .Where(block => History.IsToolUse(block) && rule.Accepts(block.Id)).Select(block => block.Id!).ToHashSet(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        var calls = new Dictionary<int, Dictionary<string, Queue<string>>>();
        var rewritten = 0;

        for (var i = 0; i < messages.Count; i++)
        {
            var blocks = messages[i].Content?.Blocks ?? [];
            if (messages[i].Role == History.Assistant)
            {
                var turn = calls[i] = new Dictionary<string, Queue<string>>(StringComparer.Ordinal);
                foreach (var block in blocks.Where(History.IsToolUse))
                {
                    var original = block.Id ?? "";
                    var id = rule.Accepts(original) && taken.Add(original) ? original : Fresh(rule, original, taken, reserved);
                    if (id != original) rewritten++;
                    block.Id = id;
                    (turn.TryGetValue(original, out var queue) ? queue : turn[original] = new Queue<string>()).Enqueue(id);
                    latest[original] = id;
                }
                continue;
            }

            calls.TryGetValue(History.Previous(messages, i), out var answered);
            foreach (var block in blocks.Where(History.IsToolResult))
            {
                var original = block.ToolUseId ?? "";
                if (answered is not null && answered.TryGetValue(original, out var ids))
                    // Two calls that shared an id are answered in order; a second result for one call stays with it.
                    block.ToolUseId = ids.Count > 1 ? ids.Dequeue() : ids.Peek();
                else if (latest.TryGetValue(original, out var id)) block.ToolUseId = id;
                else if (!rule.Accepts(original))
                {
                    // A result whose call is gone; the pairing repair turns it into text, but its id must fit too.
                    block.ToolUseId = rule.Rewrite(original);
                    rewritten++;
                }
            }
        }
        return new(request, $"sanitized {History.Count(rewritten, "tool id")}");
    }

    private static string Fresh(ToolIdRule rule, string original, HashSet<string> taken, HashSet<string> reserved)
    {
        for (var salt = 0; ; salt++)
        {
            var candidate = rule.Rewrite(original, salt);
            if (!reserved.Contains(candidate) && taken.Add(candidate)) return candidate;
        }
    }
}
