using System.Text;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers;

/// <summary>
/// Models outside Anthropic often get tool-call arguments wrong. This turns whatever arrived into a JSON object,
/// trying in order: an object as is; a JSON string holding an object; an escaped or double-encoded string; broken
/// JSON (code fences, trailing commas, missing closing brackets). What cannot be saved becomes <c>{"raw": …}</c>, so
/// the call still reaches Claude Code and the model can see what it sent.
/// </summary>
public static class ToolArgumentHealer
{
    public enum Repair { None, ParsedString, Unescaped, FixedSyntax, WrappedRaw }

    public static (JsonElement Arguments, Repair Repair) Heal(JsonElement arguments) => arguments.ValueKind switch
    {
        JsonValueKind.Object => (arguments, Repair.None),
        JsonValueKind.String => HealText(arguments.GetString() ?? ""),
        JsonValueKind.Undefined or JsonValueKind.Null => (JsonValues.EmptyObject, Repair.None),
        _ => (WrapRaw(arguments.GetRawText()), Repair.WrappedRaw),
    };

    public static (JsonElement Arguments, Repair Repair) HealText(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return (JsonValues.EmptyObject, Repair.None);

        // A JSON string holding an object, possibly encoded more than once.
        var current = text;
        for (var depth = 0; depth < 3; depth++)
        {
            if (!TryParse(current, out var parsed)) break;
            if (parsed.ValueKind == JsonValueKind.Object) return (parsed, depth == 0 ? Repair.ParsedString : Repair.Unescaped);
            if (parsed.ValueKind != JsonValueKind.String) return (WrapRaw(text), Repair.WrappedRaw);
            current = parsed.GetString() ?? "";
        }

        // Backslash-escaped JSON that is not itself a JSON string: {\"a\": 1}
        if (current.Contains("\\\"") && TryParse(current.Replace("\\\"", "\""), out var unescaped) && unescaped.ValueKind == JsonValueKind.Object)
            return (unescaped, Repair.Unescaped);

        if (TryParse(FixSyntax(current), out var fixedUp) && fixedUp.ValueKind == JsonValueKind.Object)
            return (fixedUp, Repair.FixedSyntax);

        return (WrapRaw(text), Repair.WrappedRaw);
    }

    private static string FixSyntax(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = trimmed.IndexOf('\n');
            trimmed = firstLine > 0 ? trimmed[(firstLine + 1)..] : trimmed.TrimStart('`');
            trimmed = trimmed.TrimEnd().TrimEnd('`');
        }
        var start = trimmed.IndexOf('{');
        if (start > 0) trimmed = trimmed[start..];

        // Close what was left open, outside strings; drop commas before a closing bracket.
        var builder = new StringBuilder(trimmed.Length + 4);
        var closers = new Stack<char>();
        var inString = false;
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (inString)
            {
                builder.Append(c);
                if (c == '\\' && i + 1 < trimmed.Length) builder.Append(trimmed[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case '"': inString = true; break;
                case '{': closers.Push('}'); break;
                case '[': closers.Push(']'); break;
                case '}' or ']':
                    TrimTrailingComma(builder);
                    if (closers.Count > 0) closers.Pop();
                    break;
            }
            builder.Append(c);
        }
        if (inString) builder.Append('"');
        TrimTrailingComma(builder);
        while (closers.Count > 0) builder.Append(closers.Pop());
        return builder.ToString();
    }

    private static void TrimTrailingComma(StringBuilder builder)
    {
        var end = builder.Length - 1;
        while (end >= 0 && char.IsWhiteSpace(builder[end])) end--;
        if (end >= 0 && builder[end] == ',') builder.Remove(end, builder.Length - end);
    }

    private static bool TryParse(string text, out JsonElement element)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            element = default;
            return false;
        }
    }

    private static JsonElement WrapRaw(string raw)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("raw", raw);
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
