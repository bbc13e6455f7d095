using System.Buffers;
using System.Text.Json;

namespace Switchboard.Anthropic;

/// <summary>
/// Checks what Anthropic itself would refuse before any upstream sees the request, worded like Anthropic's own
/// messages (<c>max_tokens: Field required</c>, <c>messages.0.content.1: Input should be a valid dictionary</c>) so
/// clients that match on them behave the same. After it, nothing the pipeline walks is null where the protocol
/// requires a value. What it does not know is not an error: block types, fields and <c>tool_choice</c> types
/// Anthropic adds later pass (Claude Code starts sending them before any router knows them).
/// </summary>
public static class RequestValidator
{
    /// <summary>Far beyond any real model id (a Bedrock inference profile ARN is under 120), short enough for a URL or a log line.</summary>
    public const int MaxModelLength = 512;

    /// <summary>Anthropic's floor for an explicit thinking budget.</summary>
    public const int MinThinkingBudget = 1024;

    private static readonly HashSet<string> Roles = ["user", "assistant", "system"];

    /// <summary>C0, DEL and C1: what <see cref="char.IsControl(char)"/> calls control.</summary>
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        Enumerable.Range(0, 0xA0).Select(c => (char)c).Where(char.IsControl).ToArray());

    public static AnthropicError? Validate(MessagesRequest request, bool requireMaxTokens) =>
        Problem(request, requireMaxTokens) is { } problem ? AnthropicError.InvalidRequest(problem) : null;

    private static string? Problem(MessagesRequest request, bool requireMaxTokens)
    {
        if (string.IsNullOrWhiteSpace(request.Model)) return "model: Field required";
        if (ModelName(request.Model) is { } model) return "model: " + model;
        if (request.Messages is null) return "messages: Field required";
        if (requireMaxTokens && request.MaxTokens is null) return "max_tokens: Field required";
        if (request.MaxTokens is < 1) return "max_tokens: Input should be greater than or equal to 1";
        return Messages(request.Messages)
               ?? ContentValidator.Content("system", request.System, "a valid string or a list of text blocks")
               ?? Tools(request.Tools)
               ?? ToolChoice(request.ToolChoice)
               ?? Thinking(request.Thinking)
               ?? StopSequences(request.StopSequences);
    }

    /// <summary>
    /// What is wrong with a model name wherever it came from (the body, a route, a URL), or null. A name goes into
    /// URLs and log lines: a line break or NUL in it could forge either, so control characters are refused.
    /// </summary>
    public static string? ModelName(string model)
    {
        if (model.Length > MaxModelLength) return $"String should have at most {MaxModelLength} characters (got {model.Length})";
        var control = model.AsSpan().IndexOfAny(ControlCharacters);
        return control < 0 ? null
            : $"Input should not contain control characters (U+{(int)model[control]:X4} at position {control}); a model name is one line of text";
    }

    private static string? Messages(List<Message> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message is null) return $"messages.{i}: Input should be a valid dictionary";
            if (message.Role is null) return $"messages.{i}.role: Field required";
            if (!Roles.Contains(message.Role)) return $"messages.{i}.role: Input should be 'user' or 'assistant' (got '{message.Role}')";
            if (message.Content is null) return $"messages.{i}.content: Field required";
            if (ContentValidator.Content($"messages.{i}.content", message.Content, "a valid string or a list of content blocks") is { } problem)
                return problem;
        }
        return null;
    }

    private static string? Tools(List<Tool>? tools)
    {
        for (var i = 0; i < (tools?.Count ?? 0); i++)
        {
            var tool = tools![i];
            if (tool is null) return $"tools.{i}: Input should be a valid dictionary";
            if (tool.Name is { Length: 0 }) return $"tools.{i}.name: String should have at least 1 character";
            // A typed tool (web_search_20250305, mcp_toolset…) has its own shape, checked by Anthropic, dropped by translators.
            if (tool.Type is not (null or "custom")) continue;
            if (tool.Name is null) return $"tools.{i}.name: Field required";
            if (tool.InputSchema is not { } schema) return $"tools.{i}.input_schema: Field required";
            if (schema.ValueKind != JsonValueKind.Object) return $"tools.{i}.input_schema: Input should be a valid dictionary";
        }
        return null;
    }

    private static string? ToolChoice(ToolChoice? choice) => choice switch
    {
        null => null,
        { Type: null } => "tool_choice.type: Field required",
        { Type: "tool", Name: null or "" } => "tool_choice.tool.name: Field required",
        _ => null,
    };

    private static string? Thinking(ThinkingConfig? thinking) => thinking switch
    {
        null => null,
        { Type: null } => "thinking.type: Field required",
        { Type: "enabled", BudgetTokens: null } => "thinking.enabled.budget_tokens: Field required",
        { Type: "enabled", BudgetTokens: < MinThinkingBudget } =>
            $"thinking.enabled.budget_tokens: Input should be greater than or equal to {MinThinkingBudget}",
        _ => null,
    };

    private static string? StopSequences(List<string>? stops)
    {
        var missing = stops?.IndexOf(null!) ?? -1;
        return missing < 0 ? null : $"stop_sequences.{missing}: Input should be a valid string";
    }
}
