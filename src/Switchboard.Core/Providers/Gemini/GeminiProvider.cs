using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Sanitizing;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Google Gemini through its own API: <c>streamGenerateContent?alt=sse</c> when the client streams,
/// <c>generateContent</c> when not, <c>countTokens</c> for token counts and <c>models</c> for discovery. The key goes
/// in <c>x-goog-api-key</c>; no client header is copied, so no Anthropic credential can reach Google.
/// </summary>
internal sealed class GeminiProvider(string name, ProviderConfig config, UpstreamClient upstream) : IProvider, IModelLister
{
    public const string DefaultBaseUrl = "https://generativelanguage.googleapis.com";
    public const string DefaultApiKey = "$GEMINI_API_KEY";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string Name => name;

    public TargetProfile Profile(string model) => TargetProfile.ForTranslation(name, model);

    public async Task<ProviderReply> SendMessagesAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        var model = GeminiModels.Bare(request.Model!);
        var body = GeminiRequestMapper.Map(request, model);
        var streaming = request.IsStreaming;
        using var message = Request(HttpMethod.Post, streaming ? $"{ModelPath(model)}:streamGenerateContent?alt=sse" : $"{ModelPath(model)}:generateContent");
        message.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, GeminiJson.Default.GeminiRequest))
        {
            Headers = { ContentType = Json },
        };
        var response = await upstream.SendAsync(name, message, config.Timeout, cancellationToken).ConfigureAwait(false);
        var mapper = new GeminiStreamMapper(name, model, call.EstimatedInputTokens);
        return await EventStreamReply.TranslateAsync(response, name, config.Timeout,
            streaming ? UpstreamFraming.Lines : UpstreamFraming.Whole, streaming ? mapper.MapStreamAsync : mapper.MapWholeAsync,
            refused => GeminiErrors.FromResponseAsync(refused, name, model, config.Timeout, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<ProviderReply> CountTokensAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var model = GeminiModels.Bare(call.Request.Model!);
        var mapped = GeminiRequestMapper.Map(call.Request, model);
        var body = new GeminiCountTokensRequest
        {
            GenerateContentRequest = new GeminiCountedRequest
            {
                Model = "models/" + model,
                Contents = mapped.Contents,
                SystemInstruction = mapped.SystemInstruction,
                Tools = mapped.Tools,
            },
        };
        using var message = Request(HttpMethod.Post, $"{ModelPath(model)}:countTokens");
        message.Content = JsonContent.Create(body, GeminiJson.Default.GeminiCountTokensRequest);
        using var response = await upstream.SendAsync(name, message, config.Timeout, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await GeminiErrors.FromResponseAsync(response, name, model, config.Timeout, cancellationToken).ConfigureAwait(false);
        var counted = await response.Content.ReadFromJsonAsync(GeminiJson.Default.GeminiCountTokensResponse, cancellationToken).ConfigureAwait(false);
        return new TokenCountReply(counted?.TotalTokens ?? 0);
    }

    /// <summary>The models this key can generate with, for <c>/v1/models</c>.</summary>
    public async Task<IReadOnlyList<ListedModel>> ListModelsAsync(
        IReadOnlyList<KeyValuePair<string, string>> clientHeaders, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(ApiKey)) return [];
        using var message = Request(HttpMethod.Get, "/models?pageSize=1000");
        using var response = await upstream.SendAsync(name, message, config.Timeout, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw await GeminiErrors.FromResponseAsync(response, name, "(model list)", config.Timeout, cancellationToken).ConfigureAwait(false);
        var list = await response.Content.ReadFromJsonAsync(GeminiJson.Default.GeminiModelList, cancellationToken).ConfigureAwait(false);
        return (list?.Models ?? [])
            .Where(model => model.SupportedGenerationMethods?.Contains("generateContent") != false)
            .Select(model => new ListedModel(GeminiModels.Bare(model.Name), model.DisplayName, model.InputTokenLimit, model.OutputTokenLimit))
            .ToList();
    }

    /// <summary><c>/models/{model}</c>, the name escaped as one segment: a model name never steers the URL.</summary>
    private static string ModelPath(string model) => "/models/" + PathSegment.Escape(model);

    private string? ApiKey => EnvExpander.ExpandOrNull(config.ApiKey ?? DefaultApiKey);

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var key = ApiKey;
        if (string.IsNullOrEmpty(key))
            throw new AnthropicErrorException(AnthropicError.Authentication(
                $"Provider '{name}' has no Gemini API key: set apiKey for it, or the GEMINI_API_KEY environment variable."));
        var request = new HttpRequestMessage(method, BaseUrl + path);
        request.Headers.TryAddWithoutValidation("x-goog-api-key", key);
        if (config.Headers is not null)
            foreach (var (header, value) in config.Headers) request.Headers.TryAddWithoutValidation(header, EnvExpander.Expand(value));
        return request;
    }

    /// <summary>The base URL with the API version; one that already names a version is taken as it is.</summary>
    private string BaseUrl
    {
        get
        {
            var baseUrl = EnvExpander.Expand(config.BaseUrl ?? DefaultBaseUrl).TrimEnd('/');
            var last = baseUrl[(baseUrl.LastIndexOf('/') + 1)..];
            return last is "v1" or "v1beta" or "v1alpha" ? baseUrl : baseUrl + "/v1beta";
        }
    }
}
