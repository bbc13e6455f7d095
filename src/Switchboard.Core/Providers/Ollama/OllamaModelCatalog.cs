using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Installed models (<c>/api/tags</c>) and their capabilities (<c>/api/show</c>), cached per model and dropped when the
/// installed list changes. Short timeouts: a stopped Ollama must never stall a request for anything else.
/// </summary>
internal sealed class OllamaModelCatalog(OllamaEndpoint endpoint)
{
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan TagsFreshFor = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ModelCapabilities> _shown = new(StringComparer.Ordinal);
    private (DateTime At, IReadOnlyList<string> Names)? _tags;

    /// <summary>The installed models, or an empty list when Ollama does not answer in time.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        if (_tags is { } cached && DateTime.UtcNow - cached.At < TagsFreshFor) return cached.Names;
        try
        {
            using var request = endpoint.Request(HttpMethod.Get, "/api/tags");
            using var response = await endpoint.SendAsync(request, LookupTimeout, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return _tags?.Names ?? [];
            var tags = await response.Content.ReadFromJsonAsync(OllamaJson.Default.OllamaTags, cancellationToken).ConfigureAwait(false);
            var names = (tags?.Models ?? []).Select(model => model.Name).Where(name => name.Length > 0).ToList();
            if (_tags is not { } previous || !previous.Names.SequenceEqual(names)) _shown.Clear();
            _tags = (DateTime.UtcNow, names);
            return names;
        }
        catch (Exception ex) when (ex is Switchboard.Anthropic.AnthropicErrorException or HttpRequestException or JsonException or OperationCanceledException
                                   && !cancellationToken.IsCancellationRequested)
        {
            return _tags?.Names ?? [];
        }
    }

    /// <summary>A model's capabilities; <see cref="ModelCapabilities.Unknown"/> when Ollama cannot tell.</summary>
    public async Task<ModelCapabilities> ShowAsync(string model, CancellationToken cancellationToken)
    {
        if (_shown.TryGetValue(model, out var known)) return known;
        try
        {
            using var request = endpoint.Request(HttpMethod.Post, "/api/show");
            request.Content = JsonContent.Create(new OllamaShowRequest { Model = model }, OllamaJson.Default.OllamaShowRequest);
            using var response = await endpoint.SendAsync(request, LookupTimeout, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) return ModelCapabilities.Unknown;
            var show = await response.Content.ReadFromJsonAsync(OllamaJson.Default.OllamaShowResponse, cancellationToken).ConfigureAwait(false);
            var capabilities = show?.Capabilities ?? [];
            var info = new ModelCapabilities(
                Vision: capabilities.Contains("vision"),
                Tools: capabilities.Contains("tools"),
                Thinking: capabilities.Contains("thinking"),
                ContextLength: ContextLength(show?.ModelInfo));
            _shown[model] = info;
            return info;
        }
        catch (Exception ex) when (ex is Switchboard.Anthropic.AnthropicErrorException or HttpRequestException or JsonException or OperationCanceledException
                                   && !cancellationToken.IsCancellationRequested)
        {
            return ModelCapabilities.Unknown;
        }
    }

    /// <summary><c>model_info</c> names it after the architecture: <c>qwen3.context_length</c>, <c>llama.context_length</c>…</summary>
    private static int? ContextLength(Dictionary<string, JsonElement>? modelInfo)
    {
        if (modelInfo is null) return null;
        foreach (var (key, value) in modelInfo)
            if (key.EndsWith(".context_length", StringComparison.Ordinal) && value.TryGetInt32(out var length)) return length;
        return null;
    }
}
