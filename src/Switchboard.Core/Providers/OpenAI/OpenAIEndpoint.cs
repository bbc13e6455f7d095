using Switchboard.Anthropic;
using Switchboard.Config;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Where one chat-completions provider lives and how it is called: the preset's URL unless baseUrl says otherwise,
/// the provider's own key as a Bearer token, and the preset's, the config's and the transformers' headers, in that
/// order. No client header is ever copied onto these requests, so no Anthropic credential reaches the server.
/// </summary>
internal sealed class OpenAIEndpoint(string provider, ProviderConfig config, OpenAIPreset preset, UpstreamClient upstream)
{
    private const string ChatPath = "/chat/completions";

    /// <summary>The chat-completions URL; a baseUrl given as the full endpoint (as CCR's configs do) is used as is.</summary>
    public string ChatUrl
    {
        get
        {
            var baseUrl = EnvExpander.Expand(config.BaseUrl ?? preset.BaseUrl).TrimEnd('/');
            return baseUrl.EndsWith(ChatPath, StringComparison.Ordinal) ? baseUrl : baseUrl + ChatPath;
        }
    }

    /// <summary>The OpenAI-style model list beside the chat endpoint (<c>…/v1/models</c>).</summary>
    public string ModelsUrl => ChatUrl[..^ChatPath.Length] + "/models";

    public TimeSpan Timeout => config.Timeout;

    public HttpRequestMessage Request(IReadOnlyDictionary<string, string> extraHeaders) => Request(HttpMethod.Post, ChatUrl, extraHeaders);

    public HttpRequestMessage ModelsRequest() => Request(HttpMethod.Get, ModelsUrl, new Dictionary<string, string>());

    private HttpRequestMessage Request(HttpMethod method, string url, IReadOnlyDictionary<string, string> extraHeaders)
    {
        var request = new HttpRequestMessage(method, url);
        var key = EnvExpander.ExpandOrNull(config.ApiKey);
        if (!string.IsNullOrEmpty(key)) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        else if (preset.KeyVariable is { } variable) throw MissingKey(variable);

        foreach (var (name, value) in preset.Headers) Set(request, name, value);
        foreach (var (name, value) in config.Headers ?? []) Set(request, name, EnvExpander.Expand(value));
        foreach (var (name, value) in extraHeaders) Set(request, name, value);
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        upstream.SendAsync(provider, request, config.Timeout, cancellationToken);

    private AnthropicErrorException MissingKey(string variable) => new(AnthropicError.Authentication(
        config.ApiKey is { } configured
            ? $"Provider '{provider}' has no API key: its apiKey is \"{configured}\", which is empty in Switchboard's environment. " +
              "Set the variable where Switchboard runs, then restart it."
            : $"Provider '{provider}' ({preset.Name}) needs an API key: add \"apiKey\": \"${variable}\" to it in Switchboard's config."));

    private static void Set(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}
