using System.Text.Json;

namespace Switchboard.Config;

/// <summary>What one model of a provider does differently (<c>perModel</c> in a provider entry).</summary>
public sealed record ModelSettings
{
    /// <summary>Applied after the provider's own transformers, in the same form.</summary>
    public List<JsonElement>? Transformers { get; init; }

    /// <summary>Whether this model sees images, over the provider's <c>vision</c> (a text-only model on a provider of vision ones).</summary>
    public bool? Vision { get; init; }

    /// <summary>The model's context window in tokens, over what its provider reports (<c>GET /v1/models</c>, <c>switchboard code</c>).</summary>
    public int? ContextWindow { get; init; }

    /// <summary>The most tokens one reply may have, over what its provider reports.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Whether <paramref name="pattern"/> (an exact name, or a prefix ending in <c>*</c>) names <paramref name="model"/>.</summary>
    public static bool Matches(string pattern, string model) => pattern.EndsWith('*')
        ? model.StartsWith(pattern[..^1], StringComparison.Ordinal)
        : pattern == model;
}
