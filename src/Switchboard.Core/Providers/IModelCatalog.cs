namespace Switchboard.Providers;

/// <summary>A provider that can say which models it has right now, and what each can do (Ollama, for one).</summary>
public interface IModelCatalog
{
    /// <summary>The models available now; empty when the upstream cannot be asked in time. Never throws for that.</summary>
    Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken);

    /// <summary>A model's capabilities; <see cref="ModelCapabilities.Unknown"/> when the upstream cannot tell.</summary>
    Task<ModelCapabilities> DescribeModelAsync(string model, CancellationToken cancellationToken);
}
