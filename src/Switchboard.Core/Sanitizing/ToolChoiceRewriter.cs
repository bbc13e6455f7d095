using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// Ollama cannot force a tool call: it has no <c>tool_choice</c>. Rather than forwarding one it ignores (or refuses),
/// a named tool is forced the only way left, by offering that tool alone; <c>any</c> is dropped (the model still has
/// every tool); <c>none</c> withdraws the tools. <c>auto</c> is what Ollama does anyway.
/// </summary>
internal sealed class ToolChoiceRewriter : IRequestRepair
{
    public bool Applies(MessagesRequest request, TargetProfile target) =>
        !target.CanForceToolChoice && request.ToolChoice?.Type is "any" or "tool" or "none";

    public Repaired Apply(MessagesRequest request, TargetProfile target)
    {
        var choice = request.ToolChoice!;
        var unforced = request with { ToolChoice = null };
        return choice.Type switch
        {
            "tool" when request.Tools?.Any(tool => tool.Name == choice.Name) == true => new(
                unforced with { Tools = request.Tools.Where(tool => tool.Name == choice.Name).ToList() },
                $"forced tool {choice.Name} by offering it alone, as {target.Model} has no tool_choice"),
            "none" => new(unforced with { Tools = null }, $"withdrew the tools for tool_choice none, as {target.Model} has no tool_choice"),
            _ => new(unforced, $"dropped tool_choice {choice.Type}, which {target.Model} cannot enforce"),
        };
    }
}
