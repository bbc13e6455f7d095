using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Gemini's <c>{"error": {"code", "message", "status"}}</c> (as an HTTP reply or in place of a chunk) → an Anthropic
/// error with the matching status and a message that says what to fix. An over-long prompt is worded as Anthropic
/// words it ("prompt is too long"), which is what makes Claude Code compact the conversation.
/// </summary>
internal static class GeminiErrors
{
    public static async Task<AnthropicErrorException> FromResponseAsync(
        HttpResponseMessage response, string provider, string model, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = await UpstreamErrorBody.ReadAsync(response, provider, timeout, cancellationToken).ConfigureAwait(false);
        GeminiError? error = null;
        try
        {
            if (body.IsJson) error = JsonSerializer.Deserialize(body.Text, GeminiJson.Default.GeminiErrorBody)?.Error;
        }
        catch (JsonException)
        {
        }
        error ??= new GeminiError { Message = body.Summary };
        error.Code ??= (int)response.StatusCode;
        return From(error, provider, model, midStream: false, body.RetryAfterSeconds);
    }

    public static AnthropicErrorException From(GeminiError error, string provider, string model, bool midStream, int? retryAfterSeconds = null)
    {
        var message = error.Message ?? "no message";
        var said = $"Gemini ({provider}) {(midStream ? "failed mid-reply" : "answered " + error.Code)}: {message}";
        var status = error.Code ?? 500;
        AnthropicError mapped = (status, error.Status) switch
        {
            _ when message.Contains("API key", StringComparison.OrdinalIgnoreCase) && status is 400 or 401 or 403 =>
                AnthropicError.Authentication($"{said} Set apiKey for {provider} (default $GEMINI_API_KEY)."),
            _ when IsContextOverflow(message) => AnthropicError.PromptTooLong(said),
            (404, _) or (_, "NOT_FOUND") => AnthropicError.NotFound($"{said} Is '{model}' a Gemini model this key can use?"),
            (429, _) or (_, "RESOURCE_EXHAUSTED") => new AnthropicError(429, ErrorTypes.RateLimit, said) { RetryAfterSeconds = retryAfterSeconds },
            (401, _) or (_, "UNAUTHENTICATED") => AnthropicError.Authentication(said),
            (403, _) or (_, "PERMISSION_DENIED") => new AnthropicError(403, ErrorTypes.Permission, said),
            (503, _) or (_, "UNAVAILABLE") => AnthropicError.Overloaded(said) with { RetryAfterSeconds = retryAfterSeconds },
            (504, _) or (_, "DEADLINE_EXCEEDED") => AnthropicError.Api(said, 504),
            (>= 400 and < 500, _) => AnthropicError.InvalidRequest(said),
            _ => UpstreamFault.ForStatus(midStream ? 502 : status, said, retryAfterSeconds),
        };
        return new AnthropicErrorException(mapped);
    }

    private static bool IsContextOverflow(string message) =>
        message.Contains("exceeds the maximum number of tokens", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("input token count", StringComparison.OrdinalIgnoreCase) && message.Contains("exceed", StringComparison.OrdinalIgnoreCase);
}
