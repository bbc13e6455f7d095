using System.Text.RegularExpressions;

namespace Switchboard.Anthropic;

/// <summary>
/// A failure, as data: the HTTP status, Anthropic's error type and a message that says what to fix. Mapped once
/// to the client's reply (a JSON body, or an <c>error</c> event once a stream has begun).
/// </summary>
public sealed partial record AnthropicError(int Status, string Type, string Message)
{
    /// <summary>Seconds the client should wait, sent as <c>retry-after</c> with 429 and 529.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>
    /// Sent as <c>x-should-retry</c> when set. The Anthropic SDK and Claude Code 2.1.332's own retry loop give up at
    /// once on <c>false</c> (whatever the status, 529 and 429 aside), where a 5xx is otherwise retried with backoff
    /// for minutes in silence: <c>false</c> is for faults a retry cannot fix (a dead proxy, a refused connection).
    /// </summary>
    public bool? ShouldRetry { get; init; }

    public static AnthropicError InvalidRequest(string message) => new(400, ErrorTypes.InvalidRequest, message);
    public static AnthropicError Authentication(string message) => new(401, ErrorTypes.Authentication, message);
    public static AnthropicError NotFound(string message) => new(404, ErrorTypes.NotFound, message);
    public static AnthropicError TooLarge(string message) => new(413, ErrorTypes.RequestTooLarge, message);
    public static AnthropicError Api(string message, int status = 500) => new(status, ErrorTypes.Api, message);
    public static AnthropicError Overloaded(string message) => new(529, ErrorTypes.Overloaded, message);

    /// <summary>
    /// A context overflow, worded as Anthropic words it, because that wording is what makes Claude Code compact the
    /// conversation and retry: <c>prompt is too long: N tokens &gt; M maximum</c> when <paramref name="upstreamMessage"/>
    /// names both counts (Claude Code reads them, <c>^prompt is too long: \d+ tokens &gt; \d+ maximum$</c>; servers
    /// name them in any order, and the larger is the prompt), else <c>prompt is too long: </c> and what upstream said.
    /// </summary>
    public static AnthropicError PromptTooLong(string upstreamMessage)
    {
        var counts = TokenCounts().Matches(upstreamMessage)
            .Select(m => long.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture))
            .Distinct().ToList();
        return InvalidRequest(counts.Count >= 2
            ? $"prompt is too long: {counts.Max()} tokens > {counts.Min()} maximum"
            : $"prompt is too long: {upstreamMessage}");
    }

    [GeneratedRegex(@"(\d[\d,]*) tokens", RegexOptions.CultureInvariant)]
    private static partial Regex TokenCounts();

    /// <summary>The error type Anthropic uses for a status.</summary>
    public static string TypeForStatus(int status) => status switch
    {
        400 => ErrorTypes.InvalidRequest,
        401 => ErrorTypes.Authentication,
        403 => ErrorTypes.Permission,
        404 => ErrorTypes.NotFound,
        413 => ErrorTypes.RequestTooLarge,
        429 => ErrorTypes.RateLimit,
        529 => ErrorTypes.Overloaded,
        >= 500 => ErrorTypes.Api,
        _ => ErrorTypes.InvalidRequest,
    };

    public ErrorResponse ToResponse() => new() { Error = ToDetail() };
    public ErrorDetail ToDetail() => new() { Type = Type, Message = Message };
}

public static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string RequestTooLarge = "request_too_large";
    public const string RateLimit = "rate_limit_error";
    public const string Api = "api_error";
    public const string Overloaded = "overloaded_error";
}

/// <summary>Thrown anywhere in the pipeline to answer the client with <see cref="Error"/>.</summary>
public sealed class AnthropicErrorException(AnthropicError error, Exception? inner = null)
    : Exception(error.Message, inner)
{
    public AnthropicError Error { get; } = error;
}
