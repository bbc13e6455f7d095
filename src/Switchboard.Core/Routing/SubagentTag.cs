using System.Text.RegularExpressions;
using Switchboard.Anthropic;

namespace Switchboard.Routing;

/// <summary>
/// CCR's way of giving one subagent its own model: <c>&lt;CCR-SUBAGENT-MODEL&gt;provider,model&lt;/CCR-SUBAGENT-MODEL&gt;</c>
/// in the agent's prompt. Claude Code has moved that prompt between releases, so the tag is looked for in every system
/// block and in the first user message, and removed before the request goes anywhere.
/// </summary>
internal static partial class SubagentTag
{
    [GeneratedRegex(@"\s*<CCR-SUBAGENT-MODEL>\s*(?<target>[^<]+?)\s*</CCR-SUBAGENT-MODEL>\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    /// <summary>
    /// The tagged target and the request without the tag: a copy, with new parts only where the tag was, or
    /// <paramref name="request"/> itself and null without one. <paramref name="request"/> is never changed.
    /// </summary>
    public static (MessagesRequest Request, string? Target) Take(MessagesRequest request)
    {
        string? found = null;
        var system = Strip(request.System, ref found);
        var messages = request.Messages;
        var firstUser = messages?.FindIndex(message => message.Role == "user") ?? -1;
        if (firstUser >= 0 && Strip(messages![firstUser].Content, ref found) is var content && content != messages[firstUser].Content)
        {
            var turn = messages[firstUser];
            messages = [.. messages];
            messages[firstUser] = new Message { Role = turn.Role, Content = content, Extra = turn.Extra };
        }
        return found is null ? (request, null) : (request with { System = system, Messages = messages }, found);
    }

    /// <summary>The content without the tag, or <paramref name="content"/> itself when it has none.</summary>
    private static MessageContent? Strip(MessageContent? content, ref string? found)
    {
        if (content is null) return null;
        if (content.Text is { } text)
            return Tag().Match(text) is { Success: true } match ? MessageContent.FromText(Remove(text, match, ref found)) : content;
        if (content.Blocks is not { } blocks || !blocks.Any(HasTag)) return content;
        var kept = new List<ContentBlock>(blocks.Count);
        foreach (var block in blocks) kept.Add(HasTag(block) ? Stripped(block, ref found) : block);
        return MessageContent.FromBlocks(kept);
    }

    private static bool HasTag(ContentBlock block) =>
        block.Type == ContentBlockTypes.Text && block.Text is { } text && Tag().IsMatch(text);

    /// <summary>A text block's copy without the tag: a text block has no other parts to carry.</summary>
    private static ContentBlock Stripped(ContentBlock block, ref string? found) => new()
    {
        Type = block.Type, Text = Remove(block.Text!, Tag().Match(block.Text!), ref found),
        Citations = block.Citations, CacheControl = block.CacheControl, Extra = block.Extra,
    };

    private static string Remove(string text, Match match, ref string? found)
    {
        found ??= match.Groups["target"].Value;
        return (text[..match.Index] + (match.Index > 0 && match.Index + match.Length < text.Length ? "\n" : "") + text[(match.Index + match.Length)..]).Trim();
    }
}
