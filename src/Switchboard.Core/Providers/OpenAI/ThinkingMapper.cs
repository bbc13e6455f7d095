using Switchboard.Anthropic;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Anthropic's <c>thinking</c> → the server's reasoning control. An explicit budget maps to an effort (or is passed
/// as OpenRouter's <c>max_tokens</c>); adaptive thinking, which Claude Code asks for on nearly every request, takes
/// its effort from <c>output_config.effort</c>.
/// </summary>
internal static class ThinkingMapper
{
    public static void Apply(MessagesRequest request, ReasoningControl control, ChatRequest chat)
    {
        var type = request.Thinking?.Type;
        var thinks = type is "enabled" or "adaptive";
        switch (control)
        {
            case ReasoningControl.Effort when thinks:
                chat.ReasoningEffort = Effort(request);
                break;
            case ReasoningControl.OpenRouter when thinks:
                chat.Reasoning = type == "enabled" && request.Thinking!.BudgetTokens is { } budget
                    ? new OpenRouterReasoning { MaxTokens = budget }
                    : new OpenRouterReasoning { Effort = Effort(request) };
                break;
            case ReasoningControl.ChatTemplateKwargs when thinks || type == "disabled":
                chat.ChatTemplateKwargs = new Dictionary<string, bool> { ["enable_thinking"] = thinks, ["thinking"] = thinks };
                break;
        }
    }

    public static string Effort(MessagesRequest request) => request.Thinking?.Type == "enabled"
        ? request.Thinking.BudgetTokens switch
        {
            < 4096 => "low",
            >= 16384 => "high",
            _ => "medium",
        }
        : request.OutputConfig?.Effort switch
        {
            "low" => "low",
            "high" or "xhigh" or "max" => "high",
            _ => "medium",
        };
}
