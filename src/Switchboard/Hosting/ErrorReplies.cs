using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;

namespace Switchboard.Hosting;

/// <summary>Writes an <see cref="AnthropicError"/> the one way a client ever sees a failure.</summary>
internal static class ErrorReplies
{
    public static async Task WriteAsync(HttpContext context, AnthropicError error)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        if (error.RetryAfterSeconds is { } seconds) response.Headers.RetryAfter = seconds.ToString();
        // A default pause for throttling, but not on a refusal the client is told not to retry: the protocol's
        // fail-closed 429 (fetch_error) carries x-should-retry: false and nothing else.
        else if (error.Status is 429 or 529 && error.ShouldRetry is not false) response.Headers.RetryAfter = "1";
        if (error.ShouldRetry is { } retry) response.Headers["x-should-retry"] = retry ? "true" : "false";
        await JsonSerializer.SerializeAsync(response.Body, error.ToResponse(), AnthropicJson.Relaxed.ErrorResponse,
            context.RequestAborted);
    }

    /// <summary>The status Anthropic uses for an error type (for errors that arrive as events).</summary>
    public static int StatusFor(string? errorType) => errorType switch
    {
        ErrorTypes.InvalidRequest => 400,
        ErrorTypes.Authentication => 401,
        ErrorTypes.Permission => 403,
        ErrorTypes.NotFound => 404,
        ErrorTypes.RequestTooLarge => 413,
        ErrorTypes.RateLimit => 429,
        ErrorTypes.Overloaded => 529,
        _ => 500,
    };
}
