using System.Net;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Ollama;

/// <summary>Ollama's <c>{"error": "…"}</c> (as an HTTP reply or a mid-stream line) → an Anthropic error that says what to do.</summary>
internal static class OllamaErrors
{
    public static async Task<AnthropicErrorException> FromResponseAsync(
        HttpResponseMessage response, string provider, string model, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var body = await UpstreamErrorBody.ReadAsync(response, provider, timeout, cancellationToken).ConfigureAwait(false);
        var message = ErrorText(body);
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NotFound || message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            return new AnthropicErrorException(AnthropicError.NotFound(
                $"Model {model} is not installed in {provider}: run `ollama pull {model}` (Ollama said: {message})"));
        return new AnthropicErrorException(UpstreamFault.ForStatus(status, $"Ollama ({provider}) answered {status}: {message}", body.RetryAfterSeconds));
    }

    public static AnthropicErrorException MidStream(string error) =>
        new(AnthropicError.Api($"Ollama failed mid-reply: {error}", 502));

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
