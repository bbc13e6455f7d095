using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// Current Claude Code puts <c>role: "system"</c> turns in the middle of the conversation (the environment, reminders).
/// A target that only knows user and assistant gets each as a <c>&lt;system-reminder&gt;</c> in a user turn where it
/// stood, merged with the user turn beside it so turns still alternate, tool results kept first.
/// </summary>
internal sealed class SystemTurnFolder : IRequestRepair
{
    public bool Applies(MessagesRequest request, TargetProfile target) =>
        !target.AcceptsMidConversationSystem && History.Messages(request).Any(message => message.Role == History.System);

    public Repaired Apply(MessagesRequest request, TargetProfile target)
    {
        var messages = History.Messages(request);
        var folded = 0;
        foreach (var message in messages.Where(message => message.Role == History.System))
        {
            var text = SystemPrompt.Text(message.Content);
            message.Role = History.User;
            message.Content = MessageContent.FromBlocks(text.Length > 0 ? [History.Text($"<system-reminder>\n{text}\n</system-reminder>")] : []);
            folded++;
        }
        messages.RemoveAll(message => message.Content?.Blocks is { Count: 0 });
        for (var i = messages.Count - 1; i > 0; i--)
        {
            if (messages[i].Role != History.User || messages[i - 1].Role != History.User) continue;
            var first = History.EditableBlocks(messages[i - 1]);
            var second = History.EditableBlocks(messages[i]);
            // Results answer the turn before both; nothing may stand ahead of them.
            var results = second.Where(History.IsToolResult).ToList();
            messages[i - 1].Content = MessageContent.FromBlocks([.. results, .. first, .. second.Where(block => !History.IsToolResult(block))]);
            messages.RemoveAt(i);
        }
        return new(request, $"folded {History.Count(folded, "mid-conversation system turn")} into user turns");
    }
}
