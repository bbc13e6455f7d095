using System.Text.Json;

namespace Switchboard.Config;

/// <summary>What one model of a provider does differently (<c>perModel</c> in a provider entry).</summary>
public sealed record ModelSettings
{
    /// <summary>Applied after the provider's own transformers, in the same form.</summary>
    public List<JsonElement>? Transformers { get; set; }
}
