namespace Switchboard.Providers;

/// <summary>A provider that can say which models it has right now (Ollama's installed models, for one).</summary>
public interface IListsModels
{
    /// <summary>The models available now; empty when the upstream cannot be asked in time. Never throws for that.</summary>
    Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken);
}
