namespace Switchboard.Anthropic;

/// <summary>
/// Checks what Anthropic itself would refuse before any upstream sees the request, worded like Anthropic's own
/// messages (<c>max_tokens: Field required</c>) so clients that match on them behave the same.
/// </summary>
public static class RequestValidator
{
    private static readonly HashSet<string> Roles = ["user", "assistant", "system"];

    public static AnthropicError? Validate(MessagesRequest request, bool requireMaxTokens)
    {
        if (string.IsNullOrWhiteSpace(request.Model)) return AnthropicError.InvalidRequest("model: Field required");
        if (request.Messages is null) return AnthropicError.InvalidRequest("messages: Field required");
        if (requireMaxTokens && request.MaxTokens is null)
            return AnthropicError.InvalidRequest("max_tokens: Field required");
        if (request.MaxTokens is < 1)
            return AnthropicError.InvalidRequest("max_tokens: Input should be greater than or equal to 1");

        for (var i = 0; i < request.Messages.Count; i++)
        {
            var message = request.Messages[i];
            if (message is null) return AnthropicError.InvalidRequest($"messages.{i}: Input should be an object");
            if (message.Role is null) return AnthropicError.InvalidRequest($"messages.{i}.role: Field required");
            if (!Roles.Contains(message.Role))
                return AnthropicError.InvalidRequest(
                    $"messages.{i}.role: Input should be 'user' or 'assistant' (got '{message.Role}')");
            if (message.Content is null)
                return AnthropicError.InvalidRequest($"messages.{i}.content: Field required");
        }
        return null;
    }
}
