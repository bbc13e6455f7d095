using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Anthropic;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// A chat-completions failure, as an HTTP reply or an error chunk mid-stream, → an Anthropic error. Bodies come as
/// OpenAI's <c>{"error": {"message", "type", "code"}}</c>, vLLM's <c>{"object": "error", "message"}</c>, a bare
/// string or plain text. A context overflow is worded as Anthropic words it, <c>prompt is too long: N tokens &gt; M
/// maximum</c>, because that is what makes Claude Code compact the conversation and retry.
/// </summary>
internal static partial class OpenAIErrors
{
    /// <summary>What a server said when it refused a request: read once, for a retry decision and the error.</summary>
    public sealed record Refusal(int Status, string Message, string? Code, int? RetryAfterSeconds);

    public static async Task<Refusal> ReadAsync(
        HttpResponseMessage response, string provider, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = await UpstreamErrorBody.ReadAsync(response, provider, timeout, cancellationToken).ConfigureAwait(false);
        var (message, code) = Describe(body);
        return new Refusal((int)response.StatusCode, message, code, body.RetryAfterSeconds);
    }

    public static AnthropicErrorException ToException(Refusal refusal, string provider, string model)
    {
        var (status, message, code, _) = refusal;
        if (status is 400 or 422 && OutputTokenLimits.CapFrom(message) is { } cap)
            return new(AnthropicError.InvalidRequest(
                $"{provider} allows {model} at most {cap} output tokens ({message}). Add [\"maxtoken\", {{\"max_tokens\": {cap}}}] " +
                $"to the provider's transformers."));
        // A 429 may speak of tokens too (per-minute limits); only a refused request is an overflow.
        if (status is 400 or 413 or 422 && IsContextOverflow(message, code)) return new(AnthropicError.PromptTooLong(message));
        var error = status switch
        {
            400 or 422 => AnthropicError.InvalidRequest($"{provider} refused the request for {model} ({status}): {message}"),
            401 => AnthropicError.Authentication(
                $"{provider} rejected its API key (401: {message}). Check apiKey for provider '{provider}' in Switchboard's config."),
            402 => new AnthropicError(403, ErrorTypes.Permission, $"{provider} wants payment (402): {message}"),
            403 => new AnthropicError(403, ErrorTypes.Permission, $"{provider} refused access to {model} (403): {message}"),
            404 => AnthropicError.NotFound($"Model {model} was not found at {provider} (404): {message}"),
            413 => AnthropicError.TooLarge($"{provider} says the request is too large (413): {message}"),
            429 => new AnthropicError(429, ErrorTypes.RateLimit, $"{provider} is rate limiting requests (429): {message}")
            {
                RetryAfterSeconds = refusal.RetryAfterSeconds,
            },
            408 or 504 => AnthropicError.Api($"{provider} timed out ({status}): {message}", 504),
            503 or 529 => AnthropicError.Overloaded($"{provider} is overloaded ({status}): {message}") with { RetryAfterSeconds = refusal.RetryAfterSeconds },
            _ => AnthropicError.Api($"{provider} answered {status}: {message}", 502),
        };
        return new(error);
    }

    /// <summary>An error chunk inside a stream that had begun well.</summary>
    public static AnthropicErrorException MidStream(JsonElement error, string provider)
    {
        var (message, code) = Describe(error);
        if (IsContextOverflow(message, code)) return new(AnthropicError.PromptTooLong(message));
        var status = int.TryParse(code, out var number) ? number : 0;
        var text = $"{provider} failed mid-reply: {message}";
        return new(status switch
        {
            429 => new AnthropicError(429, ErrorTypes.RateLimit, text),
            503 or 529 => AnthropicError.Overloaded(text),
            >= 400 and < 500 => new AnthropicError(status, AnthropicError.TypeForStatus(status), text),
            _ => AnthropicError.Api(text, 502),
        });
    }

    public static bool IsContextOverflow(string message, string? code) =>
        code is "context_length_exceeded" or "exceed_context_size_error" || OverflowWording().IsMatch(message);

    private static (string Message, string? Code) Describe(UpstreamErrorBody body)
    {
        if (!body.IsJson) return (body.Summary, null);
        try
        {
            using var document = JsonDocument.Parse(body.Text);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error)
                ? Describe(error)
                : Describe(root);
        }
        catch (JsonException)
        {
            return (body.Summary, null);
        }
    }

    private static (string Message, string? Code) Describe(JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.String) return (error.GetString() ?? "", null);
        if (error.ValueKind != JsonValueKind.Object) return (error.GetRawText(), null);
        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : error.GetRawText();
        // OpenRouter puts the routed provider's own words in metadata.raw.
        if (error.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object &&
            meta.TryGetProperty("raw", out var raw) && raw.ValueKind == JsonValueKind.String)
            message += " (" + raw.GetString() + ")";
        string? code = null;
        if (error.TryGetProperty("code", out var c)) code = c.ValueKind == JsonValueKind.String ? c.GetString() : c.GetRawText();
        if (code is null or "null" && error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String) code = t.GetString();
        return (message, code);
    }

    [GeneratedRegex(
        @"maximum context length|context length exceeded|context[ _]window|context size|exceeds? the (?:available )?context|prompt is too long|input is too long|too many (?:input )?tokens|reduce the length of the messages",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OverflowWording();

}
