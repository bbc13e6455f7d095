using System.Text;
using System.Text.Json;

namespace Switchboard.Config;

/// <summary>
/// The line of a key in a JSON text, for a problem found after the text was read (a <see cref="JsonElement"/> keeps no
/// position). Lines count from 1, as <see cref="ConfigError.Line"/> does.
/// </summary>
internal static class JsonLines
{
    /// <summary>
    /// The line of the key at <paramref name="keys"/> (<c>providers</c>, <c>a</c>, <c>numCtx</c>), or of its value when
    /// <paramref name="atValue"/>: where the reader stands when it fails, on the key when it is unknown, on the value
    /// when it is of the wrong kind. Null when the text has no such key.
    /// </summary>
    public static long? Of(string text, IReadOnlyList<string> keys, bool atValue)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        long keyStart = 0;
        for (var depth = 0; depth < keys.Count; depth++)
        {
            if (!MoveTo(ref reader, keys[depth])) return null;
            keyStart = reader.TokenStartIndex;
            if (!reader.Read() || (depth < keys.Count - 1 && reader.TokenType != JsonTokenType.StartObject)) return null;
        }
        var at = atValue ? reader.TokenStartIndex : keyStart;
        return 1 + bytes.AsSpan(0, (int)at).Count((byte)'\n');
    }

    /// <summary>Reads the current object's members until the one named <paramref name="key"/>; false when it has none.</summary>
    private static bool MoveTo(ref Utf8JsonReader reader, string key)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(key)) return true;
            if (!reader.Read()) return false;
            reader.Skip();
        }
        return false;
    }
}
