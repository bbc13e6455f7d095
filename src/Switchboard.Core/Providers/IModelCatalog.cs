namespace Switchboard.Providers;

/// <summary>A provider that can list its models and say what each can do (Ollama, for one).</summary>
public interface IModelCatalog : IModelLister
{
    /// <summary>A model's capabilities; <see cref="ModelCapabilities.Unknown"/> when the upstream cannot tell.</summary>
    Task<ModelCapabilities> DescribeModelAsync(string model, CancellationToken cancellationToken);
}
