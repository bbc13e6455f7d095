using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// Every transformer by its config name, and how a config entry becomes one: a name (<c>"cleancache"</c>) or
/// <c>[name, options]</c>, the form claude-code-router uses, so its configs carry over.
/// </summary>
internal static class TransformerCatalog
{
    private static readonly Dictionary<string, Func<TransformerOptions, ITransformer>> Builders = new(StringComparer.Ordinal)
    {
        ["maxtoken"] = options => new MaxTokenTransformer(options),
        ["sampling"] = options => new SamplingTransformer(options),
        ["cleancache"] = options => new CleanCacheTransformer(options),
        ["reasoning"] = options => new ReasoningTransformer(options),
        ["enhancetool"] = options => new EnhanceToolTransformer(options),
        ["tooluse"] = options => new ToolUseTransformer(options),
        ["streamoptions"] = options => new StreamOptionsTransformer(options),
        ["customparams"] = options => new CustomParamsTransformer(options),
        ["headers"] = options => new HeadersTransformer(options),
    };

    public static IEnumerable<string> Names => Builders.Keys;

    /// <summary>Builds one entry; an entry that cannot be built throws <see cref="ArgumentException"/> saying why.</summary>
    public static ITransformer Build(JsonElement entry)
    {
        var (name, options) = entry switch
        {
            { ValueKind: JsonValueKind.String } => (entry.GetString()!, (JsonElement?)null),
            { ValueKind: JsonValueKind.Array } when entry.GetArrayLength() is 1 or 2 && entry[0].ValueKind == JsonValueKind.String =>
                (entry[0].GetString()!, entry.GetArrayLength() == 2 ? entry[1] : (JsonElement?)null),
            _ => throw new ArgumentException(
                $"{entry.GetRawText()} is not a transformer; write a name (\"cleancache\") or [name, options] ([\"maxtoken\", {{\"max_tokens\": 16384}}])"),
        };
        if (!Builders.TryGetValue(name, out var build)) throw new ArgumentException(Unknown(name));
        if (options is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
            throw new ArgumentException($"transformer '{name}' takes an options object, not {options.Value.ValueKind.ToString().ToLowerInvariant()}");
        return build(new TransformerOptions(name, options is { ValueKind: JsonValueKind.Null } ? null : options));
    }

    public static List<ITransformer> BuildAll(IEnumerable<JsonElement>? entries) => (entries ?? []).Select(Build).ToList();

    private static string Unknown(string name)
    {
        var known = string.Join(", ", Names.Order(StringComparer.Ordinal));
        // claude-code-router names its per-server transformers after the server; here those are presets.
        var hint = OpenAIPresets.Find(name) is { Name.Length: > 0 } ? $" (for {name}'s quirks use \"preset\": \"{name}\")" : "";
        return $"unknown transformer '{name}'{hint}; known transformers: {known}";
    }
}
