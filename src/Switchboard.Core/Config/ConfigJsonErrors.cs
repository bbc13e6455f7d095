using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Switchboard.Config;

/// <summary>
/// System.Text.Json's messages in the config's own words: "could not be converted to System.Int32" becomes "must be a
/// whole number", "could not be mapped to any .NET member contained in type 'SwitchboardConfig'" becomes "is not a
/// known key; did you mean defaultProvider?" (the nearest key of that object by edit distance). People edit this file
/// by hand and know its keys, not our types.
/// </summary>
internal static partial class ConfigJsonErrors
{
    /// <summary>The keys each object of the config takes, by its type's full name, read from the generated metadata.</summary>
    private static readonly Lazy<Dictionary<string, JsonPropertyInfo[]>> KeysByType = new(() =>
    {
        var keys = new Dictionary<string, JsonPropertyInfo[]>(StringComparer.Ordinal);
        Collect(ConfigJson.Default.SwitchboardConfig, keys);
        return keys;
    });

    /// <summary>What is wrong, for the value at the exception's path; the message without System.Text.Json's suffix.</summary>
    public static string Describe(string message, string? path = null)
    {
        if (NotConverted().Match(message) is { Success: true } conversion)
            return "must be " + Kind(ValueType(conversion.Groups["type"].Value, path));
        if (Unmapped().Match(message) is { Success: true } unmapped)
            return UnknownKey(unmapped.Groups["key"].Value, unmapped.Groups["type"].Value);
        if (MissingRequired().Match(message) is { Success: true } missing)
        {
            var names = missing.Groups["keys"].Value.Trim().TrimEnd('.');
            return $"is missing the required key{(names.Contains(',') ? "s" : "")} {names}";
        }
        // Anything else (a syntax error, our own converters' messages) already speaks JSON; drop namespaces just in case.
        return message.Replace("Switchboard.Config.", "", StringComparison.Ordinal).TrimEnd('.', ' ');
    }

    /// <summary>A .NET type as the kind of JSON value it reads: <c>System.Nullable`1[System.Int32]</c> → "a whole number".</summary>
    private static string Kind(string type)
    {
        if (type.StartsWith("System.Nullable`1[", StringComparison.Ordinal)) type = type["System.Nullable`1[".Length..^1];
        return type switch
        {
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" or "System.Byte" => "a whole number",
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Boolean" => "true or false",
            "System.String" or "System.Char" or "System.Uri" => "a string",
            "System.TimeSpan" => "a duration such as \"00:01:30\"",
            _ when type.Contains("Dictionary`", StringComparison.Ordinal) => "an object",
            _ when type.Contains("List`", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal)
                   || type.Contains("Enumerable`", StringComparison.Ordinal) => "a list",
            _ when type.StartsWith("Switchboard.", StringComparison.Ordinal) => "an object",
            _ => "a value of another kind",
        };
    }

    /// <summary>
    /// The type the value at <paramref name="path"/> should have. A key read through a constructor parameter (a key with
    /// a default, <see cref="SwitchboardConfig"/>) is reported as its object's type, not its own: look the key up there.
    /// </summary>
    private static string ValueType(string reported, string? path)
    {
        var key = path?[(path.LastIndexOf('.') + 1)..];
        return KeysByType.Value.TryGetValue(reported, out var properties)
               && properties.FirstOrDefault(property => property.Name == key) is { } property
            ? property.PropertyType.ToString()
            : reported;
    }

    private static string UnknownKey(string key, string type) =>
        KeysByType.Value.TryGetValue(type, out var properties)
            ? UnknownKey(key, [.. properties.Select(property => property.Name)])
            : "is not a known key";

    /// <summary>What to say of <paramref name="key"/> in an object that takes <paramref name="known"/>: the nearest of them, or all.</summary>
    public static string UnknownKey(string key, IReadOnlyList<string> known)
    {
        if (known.Count == 0) return "is not a known key";
        var (nearest, distance) = known.Select(candidate => (candidate, Distance(key, candidate))).MinBy(pair => pair.Item2);
        return distance <= Math.Max(2, key.Length / 3)
            ? $"is not a known key; did you mean {nearest}?"
            : $"is not a known key; known keys here: {string.Join(", ", known)}";
    }

    /// <summary>The keys the strict reader takes in an object of <paramref name="type"/>, in the file's spelling.</summary>
    public static IEnumerable<string> KeysOf(Type type) =>
        KeysByType.Value.TryGetValue(type.FullName!, out var properties) ? properties.Select(property => property.Name) : [];

    /// <summary>
    /// Edit distance ignoring case, a swap of two neighbours counting as one edit (optimal string alignment), so
    /// "prot" is one edit from "port" and "defaultProvder" one from "defaultProvider".
    /// </summary>
    internal static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }

    private static void Collect(JsonTypeInfo info, Dictionary<string, JsonPropertyInfo[]> keys)
    {
        if (info.Kind is JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary)
        {
            if (info.ElementType is { } element && ConfigJson.Default.GetTypeInfo(element) is { } elementInfo) Collect(elementInfo, keys);
            return;
        }
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.FullName is not { } name || !keys.TryAdd(name, [])) return;
        // $schema names the file's schema, and an entry's extension data (a provider's TypeOptions) is no key of its own.
        keys[name] = [.. info.Properties.Where(property => property.Name != "$schema" && !property.IsExtensionData)];
        foreach (var property in info.Properties)
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (ConfigJson.Default.GetTypeInfo(type) is { } propertyInfo) Collect(propertyInfo, keys);
        }
    }

    [GeneratedRegex(@"^The JSON value could not be converted to (?<type>\S+?)\.?$")]
    private static partial Regex NotConverted();

    [GeneratedRegex(@"^The JSON property '(?<key>.*)' could not be mapped to any \.NET member contained in type '(?<type>[^']+)'")]
    private static partial Regex Unmapped();

    [GeneratedRegex(@"^JSON deserialization for type '[^']+' was missing required properties,? including: (?<keys>.+)$")]
    private static partial Regex MissingRequired();
}
