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
        var message = ErrorText(await UpstreamErrorBody.ReadAsync(response, provider, timeout, cancellationToken).ConfigureAwait(false));
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NotFound || message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            return new AnthropicErrorException(AnthropicError.NotFound(
                $"Model {model} is not installed in {provider}: run `ollama pull {model}` (Ollama said: {message})"));
        var mapped = status is >= 400 and < 500 ? status : status == 503 ? 529 : 502;
        return new AnthropicErrorException(new AnthropicError(mapped, AnthropicError.TypeForStatus(mapped),
            $"Ollama ({provider}) answered {status}: {message}"));
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
