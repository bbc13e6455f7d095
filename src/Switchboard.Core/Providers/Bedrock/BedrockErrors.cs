using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Bedrock's exceptions (named by <c>x-amzn-ErrorType</c> on an HTTP reply, or <c>:exception-type</c> mid-stream) →
/// Anthropic errors with the right status and a message that says what to check. An over-long prompt is worded as
/// Anthropic words it ("prompt is too long"), which is what makes Claude Code compact.
/// </summary>
internal static class BedrockErrors
{
    public static async Task<AnthropicErrorException> FromResponseAsync(
        HttpResponseMessage response, string provider, string model, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = await UpstreamErrorBody.ReadAsync(response, provider, timeout, cancellationToken).ConfigureAwait(false);
        var type = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.First().Split(':')[0] : null;
        return From(type ?? $"HTTP {(int)response.StatusCode}", MessageOf(body), provider, model, (int)response.StatusCode, body.RetryAfterSeconds);
    }

    public static AnthropicErrorException FromStreamException(string? type, byte[] payload, string provider, string model) =>
        From(type ?? "UnknownException", MessageOf(new UpstreamErrorBody(System.Text.Encoding.UTF8.GetString(payload), "application/json")),
            provider, model, status: 502);

    private static AnthropicErrorException From(string type, string message, string provider, string model, int status, int? retryAfterSeconds = null)
    {
        var said = $"Bedrock ({provider}) {type}: {message}";
        var error = type.ToLowerInvariant() switch
        {
            "validationexception" when IsContextOverflow(message) => AnthropicError.PromptTooLong(said),
            "validationexception" => AnthropicError.InvalidRequest(said),
            "accessdeniedexception" => new AnthropicError(403, ErrorTypes.Permission,
                $"{said} Check that the credentials may call bedrock:InvokeModel and that access to {model} is enabled in this region."),
            "unrecognizedclientexception" or "invalidsignatureexception" or "expiredtokenexception" or "incompletesignatureexception" =>
                AnthropicError.Authentication($"{said} Check the AWS credentials (profile, AWS_ACCESS_KEY_ID…) or the Bedrock API key of {provider}."),
            "resourcenotfoundexception" => AnthropicError.NotFound($"{said} Is '{model}' a Bedrock model id (or inference profile) in this region?"),
            "throttlingexception" or "servicequotaexceededexception" => new AnthropicError(429, ErrorTypes.RateLimit, said) { RetryAfterSeconds = retryAfterSeconds },
            "modelnotreadyexception" or "serviceunavailableexception" => AnthropicError.Overloaded(said) with { RetryAfterSeconds = retryAfterSeconds },
            "modeltimeoutexception" => AnthropicError.Api(said, 504),
            "modelerrorexception" or "modelstreamerrorexception" => AnthropicError.Api(said, 502),
            "internalserverexception" => UpstreamFault.ForStatus(500, said),
            _ => UpstreamFault.ForStatus(status, said, retryAfterSeconds),
        };
        return new AnthropicErrorException(error);
    }

    private static bool IsContextOverflow(string message) =>
        message.Contains("too long", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("too many input tokens", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("context window", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("context length", StringComparison.OrdinalIgnoreCase);

    private static string MessageOf(UpstreamErrorBody body)
    {
        try
        {
            var parsed = body.IsJson ? JsonSerializer.Deserialize(body.Text, BedrockJson.Default.BedrockErrorBody) : null;
            if ((parsed?.Message ?? parsed?.MessageUpper) is { } message) return message;
        }
        catch (JsonException)
        {
        }
        return body.Summary;
    }
}
