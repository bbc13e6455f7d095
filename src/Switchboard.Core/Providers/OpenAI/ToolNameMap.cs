using Switchboard.Sanitizing;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// OpenAI function names must match <c>^[a-zA-Z0-9_-]{1,64}$</c>; Claude Code's MCP tools
/// (<c>mcp__server__tool_name</c>) often run longer. A name that does not fit is cut and given a hash of the whole
/// name, the same on every request, so history and the tool list agree; replies are mapped back to the original.
/// </summary>
internal sealed class ToolNameMap
{
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

    public static string ShortFor(string name) => ToolIdRule.Anthropic.Fit(name);
}
