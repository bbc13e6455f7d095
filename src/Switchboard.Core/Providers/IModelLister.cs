namespace Switchboard.Providers;

/// <summary>A provider that can say which models it serves right now (Ollama's installed models, Anthropic's list).</summary>
public interface IModelLister
{
    /// <summary>
    /// The models available now. <paramref name="clientHeaders"/> are the asking client's (minus Switchboard's own key),
    /// for upstreams that list only for a credential. An upstream that cannot be asked fails with an exception;
    /// callers list the rest without it.
    /// </summary>
    Task<IReadOnlyList<ListedModel>> ListModelsAsync(
        IReadOnlyList<KeyValuePair<string, string>> clientHeaders, CancellationToken cancellationToken);
}

/// <summary>
/// One model as its provider names it; <paramref name="DisplayName"/> when the upstream gives one.
/// <paramref name="ContextWindow"/> (input tokens) and <paramref name="MaxOutputTokens"/> when the upstream tells.
/// </summary>
public sealed record ListedModel(string Id, string? DisplayName = null, int? ContextWindow = null, int? MaxOutputTokens = null);
