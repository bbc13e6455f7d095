using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.Cli.Editing;

/// <summary>
/// Replaces every secret written out in a config with a <c>$VAR</c> reference, so a preset can be shared: keys named
/// like a credential (<c>apiKey</c>, <c>*token*</c>, <c>*secret*</c>, <c>*password*</c>) and credential headers
/// (<c>authorization</c>, <c>*key*</c>, <c>*token*</c>). Values that already are references stay as they are.
/// </summary>
internal static class SecretScrubber
{
    /// <summary>Scrubs <paramref name="root"/> in place; returns each variable introduced, with the path it replaced.</summary>
    public static List<(string Variable, string Path)> Scrub(JsonObject root)
    {
        var replaced = new List<(string, string)>();
        Walk(root, "$", [], inHeaders: false, replaced);
        return replaced;
    }

    private static void Walk(JsonObject node, string path, List<string> names, bool inHeaders, List<(string, string)> replaced)
    {
        foreach (var (key, value) in node.ToList())
        {
            var childPath = $"{path}.{key}";
            if (value is JsonObject child)
            {
                Walk(child, childPath, [.. names, key], inHeaders: key == "headers", replaced);
                continue;
            }
            if (value is not JsonValue leaf || !leaf.TryGetValue<string>(out var text) || text.Length == 0 || text.StartsWith('$')) continue;
            if (!(inHeaders ? IsSecretHeader(key) : IsSecretKey(key))) continue;
            var variable = VariableName([.. names.Where(name => name is not ("providers" or "headers")), key]);
            node[key] = "$" + variable;
            replaced.Add((variable, childPath));
        }
    }

    private static bool IsSecretKey(string key)
    {
        var lower = key.ToLowerInvariant();
        return lower is "apikey" or "api_key" or "key" || lower.Contains("token") || lower.Contains("secret") || lower.Contains("password");
    }

    private static bool IsSecretHeader(string header)
    {
        var lower = header.ToLowerInvariant();
        return lower == "authorization" || lower.Contains("key") || lower.Contains("token") || lower.Contains("secret");
    }

    /// <summary><c>["openrouter", "apiKey"]</c> → <c>OPENROUTER_API_KEY</c>; the top-level key becomes <c>SWITCHBOARD_API_KEY</c>.</summary>
    public static string VariableName(IReadOnlyList<string> parts)
    {
        var words = parts.Count == 1 ? ["switchboard", parts[0]] : parts;
        var name = new StringBuilder();
        foreach (var word in words)
        {
            if (name.Length > 0) name.Append('_');
            for (var i = 0; i < word.Length; i++)
            {
                var c = word[i];
                if (i > 0 && char.IsUpper(c) && char.IsLower(word[i - 1])) name.Append('_');
                name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
            }
        }
        return name.ToString();
    }
}
