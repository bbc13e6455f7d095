using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>Walking a conversation the way the repairs need: turns around system turns, blocks nested in tool results.</summary>
internal static class History
{
    public const string System = "system";
    public const string Assistant = "assistant";
    public const string User = "user";

    public static List<Message> Messages(MessagesRequest request) => request.Messages ?? [];

    /// <summary>Every block of every turn, and the blocks inside tool results.</summary>
    public static IEnumerable<ContentBlock> AllBlocks(MessagesRequest request) =>
        Messages(request).SelectMany(message => message.Content?.AsBlocks() ?? []).SelectMany(WithNested);

    public static IEnumerable<ContentBlock> WithNested(ContentBlock block) =>
        block.Content?.Blocks is { } nested ? [block, .. nested] : [block];

    /// <summary>The blocks of a turn as a list that can be edited; a plain-string turn becomes one text block.</summary>
    public static List<ContentBlock> EditableBlocks(Message message)
    {
        if (message.Content?.Blocks is { } blocks) return blocks;
        var list = message.Content?.AsBlocks().ToList() ?? [];
        message.Content = MessageContent.FromBlocks(list);
        return list;
    }

    /// <summary>The nearest turn before <paramref name="index"/> that is not a system turn, or -1.</summary>
    public static int Previous(List<Message> messages, int index)
    {
        for (var i = index - 1; i >= 0; i--) if (messages[i].Role != System) return i;
        return -1;
    }

    /// <summary>The nearest turn after <paramref name="index"/> that is not a system turn, or -1.</summary>
    public static int Next(List<Message> messages, int index)
    {
        for (var i = index + 1; i < messages.Count; i++) if (messages[i].Role != System) return i;
        return -1;
    }

    public static bool IsToolUse(ContentBlock block) => block.Type == ContentBlockTypes.ToolUse;

    public static bool IsToolResult(ContentBlock block) => block.Type == ContentBlockTypes.ToolResult;

    /// <summary>"1 tool id", "3 tool ids".</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static ContentBlock Text(string text) => new() { Type = ContentBlockTypes.Text, Text = text };
}
