using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// JSON Schema → the OpenAPI subset Gemini's <c>parameters</c> accepts, for models that do not take
/// <c>parametersJsonSchema</c>. Keeps only keywords Gemini knows; inlines <c>$ref</c>s from <c>$defs</c>; turns
/// <c>const</c> into a one-value <c>enum</c>, <c>oneOf</c> into <c>anyOf</c>, <c>["string", "null"]</c> into a nullable
/// string; drops what it cannot express (<c>$schema</c>, <c>additionalProperties</c>, unknown formats).
/// </summary>
internal static class GeminiSchema
{
    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum",
    };

    private static readonly HashSet<string> Formats = new(StringComparer.Ordinal)
    {
        "enum", "date-time", "int32", "int64", "float", "double",
    };

    private const int MaxRefDepth = 8;
    private const int CacheLimit = 512;

    // Claude Code sends the same tool schemas on every request: clean each once.
    private static readonly ConcurrentDictionary<string, JsonElement?> Cache = new(StringComparer.Ordinal);

    /// <summary>The cleaned schema, or null when nothing is left to declare (a tool without parameters).</summary>
    public static JsonElement? Clean(JsonElement schema)
    {
        var raw = schema.GetRawText();
        if (Cache.TryGetValue(raw, out var known)) return known;
        var root = JsonNode.Parse(raw);
        var definitions = root?["$defs"] as JsonObject ?? root?["definitions"] as JsonObject;
        var cleaned = root is JsonObject obj ? CleanObject(obj, definitions, 0) : null;
        JsonElement? result = cleaned is null || IsEmptyObjectSchema(cleaned)
            ? null
            : JsonSerializer.SerializeToElement(cleaned, GeminiSchemaJson.Default.JsonObject);
        if (Cache.Count >= CacheLimit) Cache.Clear();
        Cache[raw] = result;
        return result;
    }

    private static JsonObject CleanObject(JsonObject schema, JsonObject? definitions, int depth)
    {
        if (schema["$ref"]?.GetValue<string>() is { } reference)
            return Resolve(reference, definitions) is { } target && depth < MaxRefDepth
                ? CleanObject(target, definitions, depth + 1)
                : new JsonObject { ["type"] = "object" };

        var result = new JsonObject();
        foreach (var (key, value) in schema)
        {
            if (value is null) continue;
            switch (key)
            {
                case "type" when value is JsonArray types:
                    var real = types.Select(t => t?.GetValue<string>()).Where(t => t is not null and not "null").ToList();
                    if (real.Count > 0) result["type"] = real[0];
                    if (real.Count < types.Count) result["nullable"] = true;
                    break;
                case "const":
                    result["enum"] = new JsonArray(value.DeepClone());
                    break;
                case "oneOf" or "anyOf" when value is JsonArray options:
                    result["anyOf"] = new JsonArray(options.OfType<JsonObject>().Select(o => (JsonNode)CleanObject(o, definitions, depth + 1)).ToArray());
                    break;
                case "allOf" when value is JsonArray parts:
                    foreach (var part in parts.OfType<JsonObject>())
                        foreach (var (partKey, partValue) in CleanObject(part, definitions, depth + 1))
                            result[partKey] ??= partValue?.DeepClone();
                    break;
                case "properties" when value is JsonObject properties:
                    var cleaned = new JsonObject();
                    foreach (var (name, property) in properties)
                        if (property is JsonObject propertySchema) cleaned[name] = CleanObject(propertySchema, definitions, depth + 1);
                    if (cleaned.Count > 0) result["properties"] = cleaned;
                    break;
                case "items" when value is JsonObject items:
                    result["items"] = CleanObject(items, definitions, depth + 1);
                    break;
                case "format" when !Formats.Contains(value.GetValue<string>()):
                    break;
                case "enum" when value is JsonArray values:
                    // Gemini's enums are strings.
                    result["enum"] = new JsonArray(values.Where(v => v is not null).Select(v => (JsonNode)(v!.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString())).ToArray());
                    break;
                default:
                    if (Kept.Contains(key)) result[key] = value.DeepClone();
                    break;
            }
        }
        if (result["required"] is JsonArray required && result["properties"] is JsonObject present)
        {
            var known = required.Select(r => r?.GetValue<string>()).Where(r => r is not null && present.ContainsKey(r)).ToList();
            result["required"] = new JsonArray(known.Select(r => (JsonNode)r!).ToArray());
            if (known.Count == 0) result.Remove("required");
        }
        else result.Remove("required");
        return result;
    }

    private static JsonObject? Resolve(string reference, JsonObject? definitions)
    {
        foreach (var prefix in new[] { "#/$defs/", "#/definitions/" })
            if (reference.StartsWith(prefix, StringComparison.Ordinal) && definitions?[reference[prefix.Length..]] is JsonObject target)
                return target;
        return null;
    }

    private static bool IsEmptyObjectSchema(JsonObject schema) =>
        schema["properties"] is null && schema["type"]?.GetValue<string>() is null or "object" && schema["anyOf"] is null;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class GeminiSchemaJson : System.Text.Json.Serialization.JsonSerializerContext;
