namespace Switchboard.Tests.Reliability;

/// <summary>
/// What a client must get when its upstream fails one way: the whole answer; a stream that began and ends in an
/// <c>error</c> event; or an HTTP error in Anthropic's shape with the status and type a client acts on. Every message
/// names the provider, unless it is Anthropic's own error relayed verbatim.
/// </summary>
public sealed record FaultExpectation(string Outcome, int Status = 200, string? ErrorType = null, string? Says = null, bool Verbatim = false)
{
    public const string Complete = "complete";
    public const string StreamError = "stream-error";
    public const string HttpError = "http-error";

    /// <summary>Every fault of the table, in the order it runs.</summary>
    public static readonly string[] Faults =
    [
        "refused", "reset-before-headers", "stall-before-headers", "garbage", "reset-mid-body", "stall-mid-body",
        "malformed", "truncated", "huge-line", "status-429-json", "status-429-html", "status-500-json", "status-500-html",
        "status-503-json", "status-503-html", "status-529-json", "status-529-html", "never-closing", "json-for-stream",
    ];

    /// <summary>Whether <paramref name="fault"/> means something for <paramref name="format"/>.</summary>
    public static bool Applies(string format, string fault, bool streaming) =>
        fault != "json-for-stream" || (IsAnthropic(format) && streaming);

    public static FaultExpectation For(string format, string fault, bool streaming)
    {
        var anthropic = IsAnthropic(format);
        FaultExpectation Http(int status, string type, string? says = null) => new(HttpError, status, type, says);
        FaultExpectation BrokenOff(string? says = null, int status = 502) =>
            streaming ? new(StreamError, Says: says) : Http(status, "api_error", says);
        return fault switch
        {
            "refused" => Http(502, "api_error", "Could not reach provider"),
            "reset-before-headers" or "garbage" => Http(502, "api_error"),
            "stall-before-headers" => Http(504, "api_error", "did not answer within 2 s"),
            "reset-mid-body" or "malformed" or "truncated" or "huge-line" => BrokenOff(),
            "stall-mid-body" => BrokenOff("went silent for 2 s", 504),
            "never-closing" or "json-for-stream" => new(Complete),
            _ when fault.StartsWith("status-", StringComparison.Ordinal) => ForStatus(int.Parse(fault[7..10]), fault.EndsWith("json", StringComparison.Ordinal), anthropic),
            _ => throw new ArgumentException($"no expectation for {fault}"),
        };
    }

    /// <summary>
    /// Anthropic's replies keep their status (its own error bodies verbatim, others in its envelope); translated
    /// providers map theirs: 503 and 529 are "overloaded", any other 5xx is a 502.
    /// </summary>
    private static FaultExpectation ForStatus(int status, bool json, bool anthropic) => status switch
    {
        429 => new(HttpError, 429, "rate_limit_error", Verbatim: anthropic && json),
        _ when anthropic => new(HttpError, status, status == 529 ? "overloaded_error" : "api_error", Verbatim: json),
        503 or 529 => new(HttpError, 529, "overloaded_error"),
        _ => new(HttpError, 502, "api_error"),
    };

    private static bool IsAnthropic(string format) => format is "anthropic" or "events";
}
