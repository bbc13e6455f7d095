using Switchboard.Anthropic;
using Switchboard.Config;

namespace Switchboard.Routing;

/// <summary>
/// Reads a target out of a model name: <c>provider:model</c> or CCR's <c>provider,model</c>. A name whose prefix is
/// not a configured provider (<c>claude-sonnet-4-5</c>, <c>qwen3:8b</c>) goes to <c>defaultProvider</c> unchanged.
/// The comma form is never a real model name, so an unknown provider there is an error rather than a guess.
/// Discovery ids (<c>claude-via-provider:model</c>, see <see cref="ModelIds"/>) resolve like <c>provider:model</c>.
/// </summary>
public static class ModelTargetParser
{
    public static ModelTarget Resolve(string model, SwitchboardConfig config) =>
        TryExplicit(model, config) ?? new ModelTarget(config.DefaultProvider, model);

    /// <summary>The target a model name spells out itself, or null for a plain model name.</summary>
    public static ModelTarget? TryExplicit(string model, SwitchboardConfig config)
    {
        if (model.StartsWith(ModelIds.DiscoveryPrefix, StringComparison.Ordinal) &&
            TryProviderPrefixed(model[ModelIds.DiscoveryPrefix.Length..], config) is { } discovered)
            return discovered;

        var separator = model.AsSpan().IndexOfAny(':', ',');
        if (separator <= 0) return null;
        var provider = model[..separator];
        var rest = model[(separator + 1)..];
        if (config.Providers.ContainsKey(provider))
            return rest.Length > 0 ? new ModelTarget(provider, rest) : throw new AnthropicErrorException(AnthropicError.InvalidRequest(
                $"Model '{model}' names provider '{provider}' but no model after the '{model[separator]}'; write {provider}{model[separator]}<model>."));
        if (model[separator] == ',')
            throw new AnthropicErrorException(AnthropicError.InvalidRequest(
                $"Unknown provider '{provider}' in model '{model}'. Configured providers: " +
                $"{string.Join(", ", config.Providers.Keys.Order(StringComparer.Ordinal))}."));
        return null;
    }

    private static ModelTarget? TryProviderPrefixed(string name, SwitchboardConfig config)
    {
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == name.Length - 1) return null;
        var provider = name[..colon];
        return config.Providers.ContainsKey(provider) ? new ModelTarget(provider, name[(colon + 1)..]) : null;
    }
}
