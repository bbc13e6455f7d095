using System.Text.Json;
using Switchboard.Anthropic;
using Switchboard.Providers;

namespace Switchboard.Config;

/// <summary>
/// Checks the keys a provider entry holds for its type (<see cref="ProviderConfig.TypeOptions"/>) as the strict reader
/// checks every other key, in the same words and at the same line: a key no type declares "is not a known key; did you
/// mean baseUrl?", a value of the wrong kind "must be a whole number". Whether the entry's own type takes the key is the
/// validator's question (<see cref="ProviderKeys"/>), asked only once this passes.
/// </summary>
internal static class ProviderTypeKeys
{
    /// <summary>The first such problem in the file's order, as the reader would have stopped at it; null when there is none.</summary>
    public static ConfigError? FirstProblem(SwitchboardConfig config, string text, string file, ProviderRegistry registry)
    {
        // Types that share a key (api: ollama and bedrock) take the same kind of value, so the first declaration speaks for all.
        var declared = registry.Factories.SelectMany(factory => factory.Options)
            .Where(option => option.Value is not null)
            .DistinctBy(option => option.Key, StringComparer.Ordinal)
            .ToDictionary(option => option.Key, StringComparer.Ordinal);
        foreach (var (name, provider) in config.Providers)
        foreach (var (key, value) in provider.TypeOptions ?? [])
        {
            var path = $"$.providers.{name}.{key}";
            if (!declared.TryGetValue(key, out var option))
                return At(text, file, path, [name, key], atValue: false,
                    ConfigJsonErrors.UnknownKey(key, [.. ConfigJsonErrors.KeysOf(typeof(ProviderConfig)), .. declared.Keys]));
            try
            {
                JsonSerializer.Deserialize(value, option.Value!);
            }
            catch (JsonException ex)
            {
                return At(text, file, path, [name, key], atValue: true, ConfigJsonErrors.Describe(JsonFailure.CoreMessage(ex), path));
            }
        }
        return null;
    }

    private static ConfigError At(string text, string file, string path, string[] keys, bool atValue, string problem) =>
        new(file, path, problem) { Line = JsonLines.Of(text, ["providers", .. keys], atValue) };
}
