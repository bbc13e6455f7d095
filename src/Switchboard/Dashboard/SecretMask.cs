using System.Text;
using System.Text.Json;
using Switchboard.Config;

namespace Switchboard.Dashboard;

/// <summary>
/// Hides the secrets of a config file's text, and puts them back into an edited copy. What a secret is, and how it
/// is masked, is <see cref="Secrets"/>'s rule (a <c>$VAR</c> reference stays visible and editable). The text is
/// changed only where a secret stands, so comments and layout survive the round trip.
/// </summary>
internal static class SecretMask
{

    /// <summary>One string value of the document: where its token is and what it holds.</summary>
    private sealed record StringToken(string Path, int Start, int Length, string Value, bool Secret);

    /// <summary>The text with every secret replaced by its mask; throws <see cref="JsonException"/> on broken JSON.</summary>
    public static string Mask(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Replace(bytes, Tokens(bytes).Where(token => token.Secret)
            .Select(token => (token, (ReadOnlyMemory<byte>)Quote(Secrets.Mask(token.Value)))));
    }

    /// <summary>
    /// <paramref name="edited"/> with each mask that still stands where its secret was replaced by the secret from
    /// <paramref name="original"/>. A mask anywhere else cannot be turned back into a key, and is reported.
    /// </summary>
    public static (string? Text, IReadOnlyList<(string Path, string Problem)> Problems) Unmask(string edited, string original)
    {
        var originalBytes = Encoding.UTF8.GetBytes(original);
        var secrets = new Dictionary<string, StringToken>(StringComparer.Ordinal);
        try
        {
            foreach (var token in Tokens(originalBytes).Where(token => token.Secret)) secrets[token.Path] = token;
        }
        catch (JsonException)
        {
            // A broken file on disk has no secrets we can place; any mask in the edit is reported below.
        }

        var editedBytes = Encoding.UTF8.GetBytes(edited);
        var problems = new List<(string, string)>();
        var restore = new List<(StringToken, ReadOnlyMemory<byte>)>();
        foreach (var token in Tokens(editedBytes).Where(token => token.Value.Contains(Secrets.Marker, StringComparison.Ordinal)))
        {
            if (secrets.TryGetValue(token.Path, out var secret) && Secrets.Mask(secret.Value) == token.Value)
                restore.Add((token, originalBytes.AsMemory(secret.Start, secret.Length)));
            else
                problems.Add((token.Path, "holds a masked secret that is not the one stored here; type the value " +
                                          "again or use a $VAR reference"));
        }
        return problems.Count > 0 ? (null, problems) : (Replace(editedBytes, restore), problems);
    }

    private static string Replace(byte[] bytes, IEnumerable<(StringToken Token, ReadOnlyMemory<byte> With)> replacements)
    {
        var result = new MemoryStream(bytes.Length);
        var at = 0;
        foreach (var (token, with) in replacements.OrderBy(r => r.Token.Start))
        {
            result.Write(bytes, at, token.Start - at);
            result.Write(with.Span);
            at = token.Start + token.Length;
        }
        result.Write(bytes, at, bytes.Length - at);
        return Encoding.UTF8.GetString(result.GetBuffer(), 0, (int)result.Length);
    }

    private static byte[] Quote(string value) => JsonSerializer.SerializeToUtf8Bytes(value, DashboardJson.Default.String);

    private static List<StringToken> Tokens(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        var path = new List<string>();
        var inArray = new Stack<int>();
        string? property = null;
        var tokens = new List<StringToken>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    path.Add(Segment(property, inArray));
                    inArray.Push(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                    property = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    path.RemoveAt(path.Count - 1);
                    inArray.Pop();
                    property = null;
                    break;
                case JsonTokenType.String:
                    var name = Segment(property, inArray);
                    var value = reader.GetString()!;
                    var parent = path.Count > 0 ? path[^1] : "";
                    var secret = Secrets.IsSecret(property, parent, value);
                    var start = (int)reader.TokenStartIndex;
                    tokens.Add(new StringToken(string.Join('.', path.Skip(1).Append(name)), start, reader.ValueSpan.Length + 2,
                        value, secret));
                    property = null;
                    break;
                default:
                    if (reader.TokenType is not (JsonTokenType.Comment or JsonTokenType.None)) _ = Segment(property, inArray);
                    property = null;
                    break;
            }
        }
        return tokens;
    }

    /// <summary>The path segment of the value being read: its property name, or its index in the enclosing array.</summary>
    private static string Segment(string? property, Stack<int> inArray)
    {
        if (property is not null || inArray.Count == 0 || inArray.Peek() < 0) return property ?? "$";
        var index = inArray.Pop();
        inArray.Push(index + 1);
        return $"[{index}]";
    }
}
