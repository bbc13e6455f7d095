using System.Text;

namespace Switchboard.Anthropic;

/// <summary>
/// An assistant turn taken apart the way chat-style APIs want it: all its text, all its thinking, and its tool calls
/// in order. Translating providers build their own assistant message from these.
/// </summary>
internal sealed record AssistantTurn(string Text, string Thinking, IReadOnlyList<ContentBlock> ToolUses)
{
    public static AssistantTurn Of(MessageContent? content)
    {
        var text = new StringBuilder();
        var thinking = new StringBuilder();
        var toolUses = new List<ContentBlock>();
        foreach (var block in content?.AsBlocks() ?? [])
        {
            switch (block.Type)
            {
                case ContentBlockTypes.Text:
                    text.Append(block.Text);
                    break;
                case ContentBlockTypes.Thinking:
                    thinking.Append(block.Thinking);
                    break;
                case ContentBlockTypes.ToolUse when block.Name is not null:
                    toolUses.Add(block);
                    break;
            }
        }
        return new AssistantTurn(text.ToString(), thinking.ToString(), toolUses);
    }
}
