using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// Every <c>tool_use</c> needs its <c>tool_result</c> in the next turn, and every result a call in the turn before
/// (Anthropic, Bedrock and Gemini refuse either gap). A history cut by an interrupted turn, a compaction, or a
/// provider that lost a call gets a placeholder result for each call left open, and each result without its call
/// becomes plain text the model can still read.
/// </summary>
internal sealed class ToolPairing : IRequestRepair
{
    public const string Interrupted = "[no result: the tool call was interrupted]";

    public bool Applies(MessagesRequest request, TargetProfile target)
    {
        var messages = History.Messages(request);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role == History.Assistant && Unanswered(messages, i).Count > 0) return true;
            if (messages[i].Role == History.User && Orphans(messages, i).Any()) return true;
        }
        return false;
    }

    public Repaired Apply(MessagesRequest request, TargetProfile target)
    {
        var messages = History.Messages(request);
        int answered = 0, orphans = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role == History.User)
            {
                var blocks = messages[i].Content?.Blocks;
                foreach (var orphan in Orphans(messages, i).ToList())
                {
                    var at = blocks!.IndexOf(orphan);
                    blocks.RemoveAt(at);
                    blocks.InsertRange(at, AsText(orphan));
                    orphans++;
                }
            }
            if (messages[i].Role != History.Assistant) continue;
            var missing = Unanswered(messages, i);
            if (missing.Count == 0) continue;
            answered += missing.Count;
            var next = History.Next(messages, i);
            var placeholders = missing.Select(id => new ContentBlock
            {
                Type = ContentBlockTypes.ToolResult, ToolUseId = id, Content = MessageContent.FromText(Interrupted), IsError = true,
            });
            if (messages[next].Role == History.User)
            {
                var blocks = History.EditableBlocks(messages[next]);
                // Results lead their turn: after those already there, before anything else.
                blocks.InsertRange(blocks.TakeWhile(History.IsToolResult).Count(), placeholders);
            }
            else
            {
                messages.Insert(next, new Message { Role = History.User, Content = MessageContent.FromBlocks(placeholders.ToList()) });
            }
        }
        var parts = new List<string>();
        if (answered > 0) parts.Add($"answered {History.Count(answered, "interrupted tool call")} with a placeholder result");
        if (orphans > 0) parts.Add($"turned {History.Count(orphans, "tool result")} without its call into text");
        return new(request, string.Join(", ", parts));
    }

    /// <summary>Calls of assistant turn <paramref name="index"/> that the next turn does not answer (none if nothing follows).</summary>
    private static List<string> Unanswered(List<Message> messages, int index)
    {
        var next = History.Next(messages, index);
        if (next < 0) return [];
        var results = (messages[next].Role == History.User ? messages[next].Content?.Blocks ?? [] : [])
            .Where(History.IsToolResult).Select(block => block.ToolUseId).ToHashSet(StringComparer.Ordinal);
        return (messages[index].Content?.Blocks ?? [])
            .Where(block => History.IsToolUse(block) && block.Id is not null && !results.Contains(block.Id))
            .Select(block => block.Id!).ToList();
    }

    private static IEnumerable<ContentBlock> Orphans(List<Message> messages, int index)
    {
        var previous = History.Previous(messages, index);
        var calls = (previous >= 0 && messages[previous].Role == History.Assistant ? messages[previous].Content?.Blocks ?? [] : [])
            .Where(History.IsToolUse).Select(block => block.Id).ToHashSet(StringComparer.Ordinal);
        return (messages[index].Content?.Blocks ?? []).Where(block => History.IsToolResult(block) && !calls.Contains(block.ToolUseId));
    }

    /// <summary>A result as text (with any images it held after it), marked with the call it answered.</summary>
    private static IEnumerable<ContentBlock> AsText(ContentBlock result)
    {
        var parts = result.Content?.AsBlocks().ToList() ?? [];
        var text = string.Join("\n", parts.Where(part => !string.IsNullOrEmpty(part.Text)).Select(part => part.Text));
        var marker = result.IsError == true ? "[tool error] " : "";
        yield return History.Text($"[result of an earlier tool call {result.ToolUseId}]\n{marker}{text}");
        foreach (var image in parts.Where(part => part.Type == ContentBlockTypes.Image)) yield return image;
    }
}
