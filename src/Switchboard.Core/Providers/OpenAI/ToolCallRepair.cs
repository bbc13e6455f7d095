using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Anthropic;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// <c>enhancetool</c>'s repairs of a whole tool call: arguments made a JSON object whatever arrived
/// (<see cref="ToolArgumentHealer"/>), then checked against the tool's schema: a parameter name that nearly matches
/// one the tool has is renamed to it (<c>filePath</c>, <c>file-path</c>, <c>file_pth</c> → <c>file_path</c>), and a value
/// of the wrong type is converted where that is safe (<c>"30"</c> → 30, <c>"true"</c> → true, a JSON string holding
/// the array or object the schema wants → that array or object).
/// </summary>
internal sealed class ToolCallRepair(List<Tool>? tools, Action<string> log)
{
    public string Heal(string tool, string arguments)
    {
        var (healed, repair) = ToolArgumentHealer.HealText(arguments);
        var fixes = new List<string>();
        if (repair != ToolArgumentHealer.Repair.None) fixes.Add(repair.ToString());
        var result = JsonObject.Create(healed)!;
        if (Schema(tool) is { } properties) FitToSchema(result, properties, fixes);
        if (fixes.Count > 0) log($"healed tool-call arguments for {tool} ({string.Join(", ", fixes)})");
        return result.ToJsonString();
    }

    /// <summary>The reply the <c>tooluse</c> exit call carries in its <c>response</c> argument.</summary>
    public static string? ExitText(string arguments)
    {
        var (healed, _) = ToolArgumentHealer.HealText(arguments);
        return healed.TryGetProperty("response", out var response)
            ? response.ValueKind == JsonValueKind.String ? response.GetString() : response.GetRawText()
            : null;
    }

    private JsonElement? Schema(string tool)
    {
        var schema = tools?.FirstOrDefault(t => t.Name == tool)?.InputSchema;
        return schema is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("properties", out var properties) &&
               properties.ValueKind == JsonValueKind.Object
            ? properties
            : null;
    }

    private static void FitToSchema(JsonObject arguments, JsonElement properties, List<string> fixes)
    {
        var known = properties.EnumerateObject().Select(p => p.Name).ToList();
        foreach (var name in arguments.Select(pair => pair.Key).ToList())
        {
            if (known.Contains(name)) continue;
            var match = known.Where(candidate => !arguments.ContainsKey(candidate) && IsNearMiss(name, candidate)).ToList();
            if (match.Count != 1) continue;
            var value = arguments[name];
            arguments.Remove(name);
            arguments[match[0]] = value;
            fixes.Add($"{name} → {match[0]}");
        }
        foreach (var property in properties.EnumerateObject())
        {
            if (!arguments.TryGetPropertyValue(property.Name, out var value) || value is null) continue;
            if (!property.Value.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String) continue;
            if (Convert(value, type.GetString()!) is { } converted)
            {
                arguments[property.Name] = converted;
                fixes.Add($"{property.Name} as {type.GetString()}");
            }
        }
    }

    private static JsonNode? Convert(JsonNode value, string type)
    {
        var kind = value.GetValueKind();
        var text = kind == JsonValueKind.String ? value.GetValue<string>().Trim() : null;
        return type switch
        {
            "integer" when text is not null && long.TryParse(text, out var integer) => JsonValue.Create(integer),
            "number" when text is not null && double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            "boolean" when text is "true" or "false" => JsonValue.Create(text == "true"),
            "array" when text is not null && text.StartsWith('[') => ParseAs(text, JsonValueKind.Array),
            "object" when text is not null && text.StartsWith('{') => ParseAs(text, JsonValueKind.Object),
            "string" when kind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => JsonValue.Create(value.ToJsonString()),
            _ => null,
        };
    }

    private static JsonNode? ParseAs(string text, JsonValueKind kind)
    {
        try
        {
            var node = JsonNode.Parse(text);
            return node?.GetValueKind() == kind ? node : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Same name but for case and separators, or one or two typos in a name long enough to tell.</summary>
    private static bool IsNearMiss(string given, string known)
    {
        var (a, b) = (Normalize(given), Normalize(known));
        if (a == b) return true;
        return Math.Min(a.Length, b.Length) >= 5 && Distance(a, b) <= (b.Length >= 10 ? 2 : 1);
    }

    private static string Normalize(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
