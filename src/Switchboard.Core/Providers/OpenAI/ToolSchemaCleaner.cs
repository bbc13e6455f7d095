using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Removes JSON Schema keywords a server refuses from a tool's parameters, at every depth, without touching
/// property names that happen to spell a keyword (a tool may well have a parameter called <c>format</c>).
/// </summary>
internal static class ToolSchemaCleaner
{
    /// <summary>Keywords whose value is a map from names to schemas.</summary>
    private static readonly HashSet<string> NameMaps = new(StringComparer.Ordinal)
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
    };

    public static JsonNode? Clean(JsonElement schema, IReadOnlySet<string> dropped) => Schema(schema, dropped);

    private static JsonNode? Schema(JsonElement element, IReadOnlySet<string> dropped)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (dropped.Contains(property.Name)) continue;
                    result[property.Name] = NameMaps.Contains(property.Name) && property.Value.ValueKind == JsonValueKind.Object
                        ? NameMap(property.Value, dropped)
                        : Schema(property.Value, dropped);
                }
                return result;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray()) array.Add(Schema(item, dropped));
                return array;
            default:
                return JsonValue.Create(element);
        }
    }

    private static JsonObject NameMap(JsonElement map, IReadOnlySet<string> dropped)
    {
        var result = new JsonObject();
        foreach (var entry in map.EnumerateObject()) result[entry.Name] = Schema(entry.Value, dropped);
        return result;
    }
}
