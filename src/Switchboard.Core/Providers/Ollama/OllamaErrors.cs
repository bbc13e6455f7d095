using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Ollama's <c>{"error": "…"}</c> (as an HTTP reply or a mid-stream line) → an Anthropic error that says what to do.
/// A prompt larger than the model's window is worded as Anthropic words it (<see cref="AnthropicError.PromptTooLong"/>),
/// which is what makes Claude Code compact the conversation instead of sending it again as it is.
/// </summary>
internal static partial class OllamaErrors
{
    public static async Task<AnthropicErrorException> FromResponseAsync(
        HttpResponseMessage response, string provider, string model, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = await UpstreamErrorBody.ReadAsync(response, provider, timeout, cancellationToken).ConfigureAwait(false);
        var message = ErrorText(body);
        var status = (int)response.StatusCode;
        if (IsContextOverflow(message)) return new AnthropicErrorException(AnthropicError.PromptTooLong($"Ollama ({provider}) answered {status}: {message}"));
        if (response.StatusCode == HttpStatusCode.NotFound || message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            return new AnthropicErrorException(AnthropicError.NotFound(
                $"Model {model} is not installed in {provider}: run `ollama pull {model}` (Ollama said: {message})"));
        return new AnthropicErrorException(UpstreamFault.ForStatus(status, $"Ollama ({provider}) answered {status}: {message}", body.RetryAfterSeconds));
    }

    public static AnthropicErrorException MidStream(string error, string provider)
    {
        var said = $"Ollama ({provider}) failed mid-reply: {error}";
        return new(IsContextOverflow(error) ? AnthropicError.PromptTooLong(said) : AnthropicError.Api(said, 502));
    }

    private static bool IsContextOverflow(string message) => OverflowWording().IsMatch(message);

    /// <summary>
    /// Ollama's own wordings: "the input length exceeds the context length" (the server, told not to truncate),
    /// "input exceeds maximum context length" and "exceeded max context length" (its runners).
    /// </summary>
    [GeneratedRegex(@"exceeds? (?:the )?(?:max(?:imum)? )?context length|exceeded (?:the )?max(?:imum)? context length|prompt (?:is )?too long",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OverflowWording();

    private static string ErrorText(UpstreamErrorBody body)
    {
        if (!body.IsJson) return body.Summary;
        try
        {
            return JsonSerializer.Deserialize(body.Text, OllamaJson.Default.OllamaErrorBody)?.Error ?? body.Summary;
        }
        catch (JsonException)
        {
            return body.Summary;
        }
    }
}
