using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// OpenAI function names must match <c>^[a-zA-Z0-9_-]{1,64}$</c>; Claude Code's MCP tools
/// (<c>mcp__server__tool_name</c>) often run longer. A name that does not fit is cut and given a hash of the whole
/// name, the same on every request, so history and the tool list agree; replies are mapped back to the original.
/// </summary>
internal sealed class ToolNameMap
{
    public const int MaxLength = 64;
    private const int HashLength = 8;

    private readonly Dictionary<string, string> _originals = new(StringComparer.Ordinal);

    /// <summary>The name to send, remembering the original for <see cref="Restore"/>.</summary>
    public string Shorten(string name)
    {
        var sent = ShortFor(name);
        if (!ReferenceEquals(sent, name)) _originals[sent] = name;
        return sent;
    }

    /// <summary>The name Claude Code knows for a name the model used.</summary>
    public string Restore(string name) => _originals.GetValueOrDefault(name, name);

    public static string ShortFor(string name)
    {
        if (name.Length is > 0 and <= MaxLength && name.All(IsAllowed)) return name;
        var safe = new StringBuilder(name.Length);
        foreach (var c in name) safe.Append(IsAllowed(c) ? c : '_');
        var keep = Math.Min(safe.Length, MaxLength - HashLength - 1);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..HashLength];
        return safe.ToString(0, keep) + "_" + hash;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
