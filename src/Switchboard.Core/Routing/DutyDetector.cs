using Switchboard.Anthropic;

namespace Switchboard.Routing;

/// <summary>
/// Which duties a request belongs to, from what Claude Code actually sends. Who is asking (main turn, subagent,
/// background work) comes from Claude Code's own hint header (<c>x-claude-code-request-class</c>, sent with
/// <c>CLAUDE_CODE_GATEWAY_HINT_HEADERS=1</c>) when present, else from the request: a haiku-class model is background
/// work, the agent system prompt marks a subagent. What the request needs (a web search tool, an image in the newest
/// user turn, a long context, an explicit thinking budget or plan mode) always comes from the request itself; the
/// mere presence of <c>thinking</c> is not <c>think</c>, since Claude Code sends adaptive thinking on nearly every call.
/// </summary>
public static class DutyDetector
{
    public const string RequestClassHeader = "x-claude-code-request-class";
    public const string AgentTypeHeader = "x-claude-code-agent-type";

    private const string SubagentPrompt = "You are an agent for Claude Code";
    private static readonly string[] PlanMode = ["Plan mode is active", "Plan mode still active"];

    public static IReadOnlySet<string> Detect(
        MessagesRequest request, IReadOnlyList<KeyValuePair<string, string>> headers, Func<int> estimatedTokens, int longContextThreshold,
        bool subagentTagged = false)
    {
        var duties = new HashSet<string>(StringComparer.Ordinal);
        var requestClass = HeaderValue(headers, RequestClassHeader);
        switch (requestClass)
        {
            case "subagent" or "workflow":
                duties.Add(Duties.Subagent);
                break;
            case "auxiliary" or "side_reply":
                duties.Add(Duties.Background);
                break;
            case null:
                if (subagentTagged || SystemTexts(request).Any(text => text.Contains(SubagentPrompt, StringComparison.Ordinal)))
                    duties.Add(Duties.Subagent);
                else if (request.Model?.Contains("haiku", StringComparison.OrdinalIgnoreCase) == true)
                    duties.Add(Duties.Background);
                break;
        }

        if (request.Tools?.Any(tool => tool.Type?.StartsWith("web_search", StringComparison.Ordinal) == true) == true)
            duties.Add(Duties.WebSearch);
        if (NewestUserTurnHasImage(request)) duties.Add(Duties.Image);
        if (request.Thinking is { Type: "enabled", BudgetTokens: > 0 } || InPlanMode(request)) duties.Add(Duties.Think);
        if (estimatedTokens() > longContextThreshold) duties.Add(Duties.LongContext);
        return duties;
    }

    public static string? HeaderValue(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        foreach (var (key, value) in headers)
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase)) return value;
        return null;
    }

    private static IEnumerable<string> SystemTexts(MessagesRequest request) =>
        (request.System?.AsBlocks() ?? []).Select(block => block.Text).OfType<string>();

    private static bool NewestUserTurnHasImage(MessagesRequest request)
    {
        var newest = request.Messages?.LastOrDefault(message => message.Role == "user");
        return newest?.Content?.AsBlocks().Any(HasImage) == true;
    }

    private static bool HasImage(ContentBlock block) =>
        block.Type == ContentBlockTypes.Image ||
        block.Type == ContentBlockTypes.ToolResult && block.Content?.AsBlocks().Any(HasImage) == true;

    /// <summary>
    /// Claude Code puts plan mode's reminder after the newest assistant turn: in 2.1.330 as a mid-conversation system
    /// message, in older releases inside the user turn.
    /// </summary>
    private static bool InPlanMode(MessagesRequest request)
    {
        var messages = request.Messages ?? [];
        for (var i = messages.Count - 1; i >= 0 && messages[i].Role != "assistant"; i--)
            if (messages[i].Content?.AsBlocks().Any(block =>
                    block.Text is { } text && PlanMode.Any(marker => text.Contains(marker, StringComparison.Ordinal))) == true)
                return true;
        return false;
    }
}
