using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Switchboard.Anthropic;

/// <summary>
/// A <see cref="JsonException"/> from reading a request, told the way Anthropic's validator tells it: the path in its
/// dotted form (<c>messages.0.content.1</c>) and what the value should have been (<c>Input should be a valid
/// integer</c>), rather than .NET's <c>$.messages[0]</c> and type names.
/// </summary>
internal static partial class JsonFailure
{
    /// <summary>Where a nested read's own path travels (see <see cref="Nested"/>).</summary>
    public const string InnerPathKey = "switchboard.json.innerPath";

    /// <summary>
    /// The serializer leaves a failure that already has a path alone, and a nested read's path starts again at
    /// <c>$</c>. Thrown again without one, the failure gets the outer path, and the inner part is kept here.
    /// </summary>
    public static JsonException Nested(JsonException inner)
    {
        var failure = new JsonException(CoreMessage(inner), inner);
        failure.Data[InnerPathKey] = FullPath(inner)[1..];
        return failure;
    }

    /// <summary>The whole path, <c>$</c>-rooted: the serializer's, plus a nested read's.</summary>
    public static string FullPath(JsonException ex) => (ex.Path ?? "$") + (ex.Data[InnerPathKey] as string ?? "");

    /// <summary>
    /// The message without the position tail .NET appends: the serializer's <c>Path: … | LineNumber: …</c>, the
    /// reader's <c>LineNumber: … | BytePositionInLine: …</c>. Callers report the position in their own words.
    /// </summary>
    public static string CoreMessage(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary><c>$.messages[0].content[1]['odd key']</c> → <c>messages.0.content.1.odd key</c>; <c>$</c> → empty.</summary>
    public static string Dotted(string path)
    {
        var dotted = new StringBuilder(path.Length);
        for (var i = path.StartsWith('$') ? 1 : 0; i < path.Length; i++)
        {
            switch (path[i])
            {
                case '.':
                case '[' when i + 1 < path.Length && path[i + 1] != '\'':
                    if (dotted.Length > 0) dotted.Append('.');
                    break;
                case '[':
                    var end = path.IndexOf("']", i, StringComparison.Ordinal);
                    if (end < 0) end = path.Length;
                    if (dotted.Length > 0) dotted.Append('.');
                    dotted.Append(path, i + 2, Math.Max(0, end - i - 2));
                    i = end + 1;
                    break;
                case ']':
                    break;
                default:
                    dotted.Append(path[i]);
                    break;
            }
        }
        return dotted.ToString();
    }

    /// <summary>
    /// What the value should have been, from the type the serializer could not make of it (<c>could not be
    /// converted to System.Nullable`1[System.Int32]</c>); null when the failure is not about a value's type.
    /// </summary>
    public static string? Expected(JsonException ex, JsonTypeInfo? root = null)
    {
        var match = ConvertedTo().Match(CoreMessage(ex));
        if (!match.Success) return null;
        var type = match.Groups["type"].Value;
        if (root is not null && type == root.Type.FullName && MemberType(ex.Path, root) is { } member) type = member.FullName!;
        if (type.StartsWith("System.Nullable`1[", StringComparison.Ordinal)) type = type["System.Nullable`1[".Length..^1];
        return type switch
        {
            "System.Int32" or "System.Int64" => "a valid integer",
            "System.Double" or "System.Single" or "System.Decimal" => "a valid number",
            "System.Boolean" => "a valid boolean",
            "System.String" => "a valid string",
            _ when type.StartsWith("System.Collections.Generic.List`1", StringComparison.Ordinal) => "a valid list",
            _ => "a valid dictionary",
        };
    }

    /// <summary>
    /// The type of <paramref name="root"/>'s member that <paramref name="path"/> (<c>$.max_tokens</c>) names. Until .NET 11
    /// (dotnet/runtime#126575), a value that does not fit an init-only member, read through the object initializer,
    /// is reported as not convertible to the declaring type itself; the member's own type is found here by its name.
    /// </summary>
    private static Type? MemberType(string? path, JsonTypeInfo root)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal) || path.AsSpan(2).IndexOfAny('.', '[') >= 0) return null;
        var type = root.Properties.FirstOrDefault(property => property.Name == path[2..])?.PropertyType;
        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.?$")]
    private static partial Regex ConvertedTo();
}
