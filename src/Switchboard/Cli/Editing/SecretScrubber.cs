using System.Text;
using System.Text.Json.Nodes;
using Switchboard.Config;

namespace Switchboard.Cli.Editing;

/// <summary>
/// Replaces every secret written out in a config with a <c>$VAR</c> reference, so a preset can be shared. What a
/// secret is comes from <see cref="Secrets"/> (the dashboard masks by the same rule); references stay as they are.
/// Only the secret part changes: <c>Bearer sk-…</c> becomes <c>Bearer $VAR</c>, and a URL's password becomes
/// <c>$VAR</c> inside the URL, so the host is still there to read.
/// </summary>
internal static class SecretScrubber
{
    /// <summary>Scrubs <paramref name="root"/> in place; returns each variable introduced, with the path it replaced.</summary>
    public static List<(string Variable, string Path)> Scrub(JsonObject root)
    {
        var replaced = new List<(string, string)>();
        Walk(root, "$", [], parent: null, replaced);
        return replaced;
    }

    private static void Walk(JsonObject node, string path, List<string> names, string? parent, List<(string, string)> replaced)
    {
        foreach (var (key, value) in node.ToList())
        {
            var childPath = $"{path}.{key}";
            if (value is JsonObject child)
            {
                Walk(child, childPath, [.. names, key], parent: key, replaced);
                continue;
            }
            if (value is not JsonValue leaf || !leaf.TryGetValue<string>(out var text) || !Secrets.IsSecret(key, parent, text)) continue;
            var variable = VariableName([.. names.Where(name => name is not ("providers" or "headers")), key]);
            node[key] = Secrets.Replace(text, "$" + variable);
            replaced.Add((variable, childPath));
        }
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
