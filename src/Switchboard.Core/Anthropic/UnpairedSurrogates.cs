using System.Text.Json;

namespace Switchboard.Anthropic;

/// <summary>
/// JSON may spell a character as <c>\uXXXX</c>, and JavaScript's <c>JSON.stringify</c> writes half a surrogate pair
/// that way when a string was cut inside an emoji (a truncated tool output). Anthropic refuses such a body ("no low
/// surrogate in string"); the serializer reads it into typed strings with an error, but into the raw JSON kept for
/// tool inputs and unknown fields without one, and then fails to write it again for a translated provider. So the
/// body is checked once, here: cheaply skipped when it holds no <c>\uD…</c> escape at all.
/// </summary>
internal static class UnpairedSurrogates
{
    /// <summary>
    /// Where the first string with an unpaired surrogate escape is (its dotted path, or the object whose key it is), or
    /// null when there is none (or when the JSON breaks first: the typed read reports that, with its position).
    /// </summary>
    public static string? Find(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\\ud"u8) < 0 && json.IndexOf("\\uD"u8) < 0) return null;
        try
        {
            return Scan(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Scan(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var path = new List<(string? Name, int Index)>();
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.EndObject or JsonTokenType.EndArray) &&
                path.Count > 0 && path[^1].Name is null)
                path[^1] = (null, path[^1].Index + 1);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    // The key cannot be shown (it is the broken string): name the object that holds it.
                    if (reader.ValueIsEscaped && !IsPaired(reader.ValueSpan))
                        return path.Count > 1 ? $"a key of {Dotted(path[..^1])}" : "a top-level key";
                    path[^1] = (reader.GetString() ?? "", 0);
                    break;
                case JsonTokenType.String when reader.ValueIsEscaped && !IsPaired(reader.ValueSpan):
                    return Dotted(path);
                case JsonTokenType.StartObject:
                    path.Add(("", 0));
                    break;
                case JsonTokenType.StartArray:
                    path.Add((null, -1));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    break;
            }
        }
        return null;
    }

    /// <summary>Whether every <c>\uD800</c>–<c>\uDBFF</c> escape is followed by a <c>\uDC00</c>–<c>\uDFFF</c> one, and no low half stands alone.</summary>
    private static bool IsPaired(ReadOnlySpan<byte> escaped)
    {
        var expectLow = false;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '\\')
            {
                if (expectLow) return false;
                continue;
            }
            if (escaped[i + 1] != 'u')
            {
                if (expectLow) return false;
                i++;
                continue;
            }
            var unit = Hex(escaped.Slice(i + 2, 4));
            i += 5;
            var isHigh = unit is >= 0xD800 and <= 0xDBFF;
            var isLow = unit is >= 0xDC00 and <= 0xDFFF;
            if (expectLow != isLow) return false;
            expectLow = isHigh;
        }
        return !expectLow;
    }

    private static int Hex(ReadOnlySpan<byte> digits)
    {
        var value = 0;
        foreach (var digit in digits) value = value * 16 + (digit <= '9' ? digit - '0' : (digit | 0x20) - 'a' + 10);
        return value;
    }

    private static string Dotted(List<(string? Name, int Index)> path) =>
        string.Join('.', path.Select(segment => segment.Name ?? segment.Index.ToString()));
}
