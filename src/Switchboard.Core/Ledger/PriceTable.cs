using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Ledger;

/// <summary>
/// Finds a model's price: the config's <c>prices</c> first (<c>provider:model</c>, then <c>model</c>, then the longest
/// matching prefix ending in <c>*</c>), then nothing for a provider its type calls local (a model on this machine or
/// network costs nothing: <see cref="IProviderFactory.IsLocal"/>), then the built-in table. Null when none of them
/// knows the model.
/// </summary>
public sealed class PriceTable(SwitchboardConfig config, ProviderRegistry registry)
{
    private readonly IReadOnlyList<(string Prefix, ModelPrice Price)> _prefixes = (config.Prices ?? [])
        .Where(pair => pair.Key.EndsWith('*'))
        .Select(pair => (pair.Key[..^1], pair.Value))
        .OrderByDescending(pair => pair.Item1.Length)
        .ToList();

    public SwitchboardConfig Config => config;

    /// <summary>
    /// The record with its costs: what its tokens cost on the model that served them, and what they would have cost
    /// on the Claude model the client asked for (the same, when the client asked for something else by name).
    /// </summary>
    public RequestRecord Price(RequestRecord record)
    {
        var cost = CostOf(Find(record.Provider, record.Model), record);
        var requested = IsClaude(record.RequestedModel) ? CostOf(FindByName(record.RequestedModel), record) : cost;
        return record with { Cost = cost, RequestedCost = requested };
    }

    private static double? CostOf(ModelPrice? price, RequestRecord record) =>
        price?.CostOf(record.InputTokens, record.OutputTokens, record.CacheReadTokens, record.CacheWriteTokens);

    /// <summary>The price of <paramref name="model"/> as served by <paramref name="provider"/>.</summary>
    public ModelPrice? Find(string provider, string model)
    {
        var prices = config.Prices;
        if (prices is not null)
        {
            var qualified = $"{provider}:{model}";
            if (prices.TryGetValue(qualified, out var exact) || prices.TryGetValue(model, out exact)) return exact;
            foreach (var (prefix, price) in _prefixes)
                if (qualified.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ||
                    model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    return price;
        }
        if (config.Providers.TryGetValue(provider, out var entry) && registry.TryGet(entry.Type, out var type) && type.IsLocal(entry))
            return ModelPrice.Free;
        return BuiltIn(model);
    }

    /// <summary>The price of a model by name alone (what the client asked for), from config or the built-in table.</summary>
    public ModelPrice? FindByName(string model)
    {
        if (config.Prices is { } prices && prices.TryGetValue(model, out var exact)) return exact;
        foreach (var (prefix, price) in _prefixes)
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return price;
        return BuiltIn(model);
    }

    public static ModelPrice? BuiltIn(string model)
    {
        var name = Normalize(model);
        ModelPrice? best = null;
        var bestLength = 0;
        foreach (var (prefix, price) in BuiltInPrices.Table)
        {
            if (prefix.Length > bestLength && name.StartsWith(prefix, StringComparison.Ordinal))
                (best, bestLength) = (price, prefix.Length);
        }
        return best;
    }

    /// <summary>
    /// A model name as the built-in table knows it: lower case, without a vendor path (<c>anthropic/</c>,
    /// <c>models/</c>), a Bedrock region and vendor (<c>us.anthropic.</c>) or a version suffix (<c>-v1:0</c>,
    /// <c>@20250929</c>); Claude's dotted versions (<c>claude-sonnet-4.5</c>) with dashes.
    /// </summary>
    public static string Normalize(string model)
    {
        var name = model.Trim().ToLowerInvariant();
        name = name[(name.LastIndexOf('/') + 1)..];
        var vendorDot = name.IndexOf("anthropic.", StringComparison.Ordinal);
        if (vendorDot >= 0) name = name[(vendorDot + "anthropic.".Length)..];
        var at = name.IndexOf('@');
        if (at > 0) name = name[..at];
        var bedrockVersion = name.LastIndexOf("-v", StringComparison.Ordinal);
        if (bedrockVersion > 0 && name.IndexOf(':', bedrockVersion) > 0) name = name[..bedrockVersion];
        if (name.StartsWith("claude", StringComparison.Ordinal)) name = name.Replace('.', '-');
        return name;
    }

    /// <summary>True for a Claude model name, whatever vendor path or region surrounds it.</summary>
    public static bool IsClaude(string model) => Normalize(model).StartsWith("claude", StringComparison.Ordinal);
}
