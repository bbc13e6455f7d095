using System.Text.RegularExpressions;
using Switchboard.Anthropic;

namespace Switchboard.Routing;

/// <summary>
/// CCR's way of giving one subagent its own model: <c>&lt;CCR-SUBAGENT-MODEL&gt;provider,model&lt;/CCR-SUBAGENT-MODEL&gt;</c>
/// in the agent's prompt. Claude Code has moved that prompt between releases, so the tag is looked for in every system
/// block and in the first user message, and removed before the request goes anywhere.
/// </summary>
public static partial class SubagentTag
{
    [GeneratedRegex(@"\s*<CCR-SUBAGENT-MODEL>\s*(?<target>[^<]+?)\s*</CCR-SUBAGENT-MODEL>\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Tag();

    /// <summary>The tagged target, removing the tag from wherever it was; null (and nothing changed) without one.</summary>
    public static string? Take(MessagesRequest request)
    {
        string? found = null;
        request.System = Strip(request.System, ref found);
        var firstUser = request.Messages?.FirstOrDefault(message => message.Role == "user");
        if (firstUser is not null) firstUser.Content = Strip(firstUser.Content, ref found);
        return found;
    }

    private static MessageContent? Strip(MessageContent? content, ref string? found)
    {
        if (content is null) return null;
        if (content.Text is { } text)
            return Tag().Match(text) is { Success: true } match ? Remove(text, match, ref found) is var rest ? MessageContent.FromText(rest) : content : content;
        foreach (var block in content.Blocks ?? [])
            if (block.Type == ContentBlockTypes.Text && block.Text is { } blockText && Tag().Match(blockText) is { Success: true } match)
                block.Text = Remove(blockText, match, ref found);
        return content;
    }

    private static string Remove(string text, Match match, ref string? found)
    {
        found ??= match.Groups["target"].Value;
        return (text[..match.Index] + (match.Index > 0 && match.Index + match.Length < text.Length ? "\n" : "") + text[(match.Index + match.Length)..]).Trim();
    }
}
