using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchboard.Team;

/// <summary>
/// Claude Code's managed settings as the gateway serves them per user (gateway protocol, "Managed settings"): the
/// <c>managed_settings</c> of each of the user's groups, merged in group-name order, a later group winning; objects
/// merge key by key at every level, anything else (arrays, strings, numbers) is replaced whole. The checksum is the
/// one the client computes itself: <c>sha256:</c> and the hex SHA-256 of the settings as JavaScript's
/// <c>JSON.stringify</c> writes them with keys sorted at every level (UTF-16 order, as <c>Array.sort</c>) and no
/// whitespace, so a client holding the same settings sends the same value in <c>If-None-Match</c>.
/// </summary>
internal static class ManagedSettings
{
    /// <summary>The merged settings, or null when none of the groups sets any (the endpoint's 404).</summary>
    public static JsonObject? Merge(IEnumerable<JsonObject> byGroupName)
    {
        JsonObject? merged = null;
        foreach (var settings in byGroupName)
        {
            merged ??= [];
            Into(merged, settings);
        }
        return merged;
    }

    private static void Into(JsonObject target, JsonObject source)
    {
        foreach (var (name, value) in source)
        {
            if (value is JsonObject inner && target[name] is JsonObject existing) Into(existing, inner);
            else target[name] = value?.DeepClone();
        }
    }

    public static string Checksum(JsonNode settings) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(settings))));

    /// <summary>The settings as <c>JSON.stringify</c> writes them with sorted keys.</summary>
    public static string Canonical(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(text, node);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject entries:
                text.Append('{');
                var first = true;
                foreach (var (name, value) in entries.OrderBy(entry => entry.Key, StringComparer.Ordinal))
                {
                    if (!first) text.Append(',');
                    first = false;
                    Quote(text, name);
                    text.Append(':');
                    Write(text, value);
                }
                text.Append('}');
                break;
            case JsonArray items:
                text.Append('[');
                for (var i = 0; i < items.Count; i++)
                {
                    if (i > 0) text.Append(',');
                    Write(text, items[i]);
                }
                text.Append(']');
                break;
            case JsonValue value:
                WriteValue(text, value);
                break;
        }
    }

    private static void WriteValue(StringBuilder text, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String: Quote(text, value.GetValue<string>()); break;
            case JsonValueKind.True: text.Append("true"); break;
            case JsonValueKind.False: text.Append("false"); break;
            case JsonValueKind.Number:
                // JavaScript numbers are doubles: 1.0 is written 1. Integers and plain decimals agree with it.
                if (value.TryGetValue(out JsonElement element))
                    text.Append(element.TryGetInt64(out var whole) ? whole.ToString(CultureInfo.InvariantCulture)
                        : element.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                else if (value.TryGetValue(out long integer)) text.Append(integer.ToString(CultureInfo.InvariantCulture));
                else text.Append(value.GetValue<double>().ToString("R", CultureInfo.InvariantCulture));
                break;
            default: text.Append("null"); break;
        }
    }

    /// <summary>As <c>JSON.stringify</c> quotes: only <c>"</c>, <c>\</c>, control characters and lone surrogates are escaped.</summary>
    private static void Quote(StringBuilder text, string value)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    var lone = char.IsHighSurrogate(c) ? i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])
                        : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]));
                    if (c < 0x20 || lone) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
