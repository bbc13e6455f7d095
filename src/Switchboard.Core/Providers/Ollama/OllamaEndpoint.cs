using Switchboard.Config;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Where one Ollama provider lives and how it is called: its base URL and its own key (Ollama cloud takes it as a
/// Bearer token). No client header is ever copied onto these requests, so no Anthropic credential can reach Ollama.
/// </summary>
internal sealed class OllamaEndpoint(string provider, ProviderConfig config, UpstreamClient upstream)
{
    public const string DefaultBaseUrl = "http://127.0.0.1:11434";

    public string Provider => provider;
    public ProviderConfig Config => config;

    public string BaseUrl => EnvExpander.Expand(config.BaseUrl ?? DefaultBaseUrl).TrimEnd('/');

    public HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, BaseUrl + path);
        if (EnvExpander.ExpandOrNull(config.ApiKey) is { Length: > 0 } key)
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        if (config.Headers is not null)
            foreach (var (name, value) in config.Headers) request.Headers.TryAddWithoutValidation(name, EnvExpander.Expand(value));
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken) =>
        upstream.SendAsync(provider, request, timeout, cancellationToken);
}
