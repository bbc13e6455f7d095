using System.Text.Json;

namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>A transformer's options object, read with errors that say what is wrong and what would be right.</summary>
internal sealed class TransformerOptions(string transformer, JsonElement? options)
{
    public bool IsEmpty => options is null || (options.Value.ValueKind == JsonValueKind.Object && !options.Value.EnumerateObject().Any());

    public JsonElement Object => options is { ValueKind: JsonValueKind.Object } value
        ? value
        : throw Problem("needs an options object, e.g. [\"" + transformer + "\", {…}]");

    public IEnumerable<JsonProperty> Properties => IsEmpty ? [] : Object.EnumerateObject();

    public void AllowOnly(params string[] keys)
    {
        foreach (var property in Properties)
            if (!keys.Contains(property.Name))
                throw Problem($"has no option '{property.Name}'; its options are {string.Join(", ", keys)}");
    }

    public JsonElement? Get(string key) => IsEmpty || !Object.TryGetProperty(key, out var value) ? null : value;

    public string? String(string key, params string[] allowed)
    {
        if (Get(key) is not { } value) return null;
        if (value.ValueKind != JsonValueKind.String || (allowed.Length > 0 && !allowed.Contains(value.GetString())))
            throw Problem($"option '{key}' must be {(allowed.Length > 0 ? "one of " + string.Join(", ", allowed) : "a string")}");
        return value.GetString();
    }

    public bool? Bool(string key) => Get(key) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Problem($"option '{key}' must be true or false"),
    };

    public ArgumentException Problem(string problem) => new($"transformer '{transformer}' {problem}");
}
