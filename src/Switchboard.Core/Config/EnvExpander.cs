using System.Text;

namespace Switchboard.Config;

/// <summary>
/// Replaces <c>$VAR</c> and <c>${VAR}</c> with the environment's value (empty when unset). Done when a request
/// needs the value, so a rotated key in the environment is used without a reload.
/// </summary>
public static class EnvExpander
{
    public static string Expand(string value, Func<string, string?>? lookup = null)
    {
        var dollar = value.IndexOf('$');
        if (dollar < 0) return value;
        lookup ??= Environment.GetEnvironmentVariable;

        var result = new StringBuilder(value.Length);
        var i = 0;
        while (dollar >= 0)
        {
            result.Append(value, i, dollar - i);
            var (name, end) = ReadName(value, dollar + 1);
            if (name is null)
            {
                result.Append('$');
                i = dollar + 1;
            }
            else
            {
                result.Append(lookup(name));
                i = end;
            }
            dollar = value.IndexOf('$', i);
        }
        result.Append(value, i, value.Length - i);
        return result.ToString();
    }

    public static string? ExpandOrNull(string? value) => value is null ? null : Expand(value);

    /// <summary>The variables <paramref name="value"/> refers to, in order (<c>"Bearer ${A}$B"</c>: A, B).</summary>
    public static List<string> Names(string value)
    {
        var names = new List<string>();
        for (var dollar = value.IndexOf('$'); dollar >= 0; dollar = value.IndexOf('$', dollar + 1))
            if (ReadName(value, dollar + 1).Name is { } name) names.Add(name);
        return names;
    }

    /// <summary>
    /// <paramref name="value"/> cut where <see cref="Expand"/> would substitute: literal text and variable names, in
    /// order (<c>"Bearer $KEY!"</c>: "Bearer ", KEY, "!"), for writing the same value in another language (a shell).
    /// </summary>
    public static List<(string Text, bool IsVariable)> Parts(string value)
    {
        var parts = new List<(string, bool)>();
        var literal = 0;
        for (var dollar = value.IndexOf('$'); dollar >= 0; dollar = value.IndexOf('$', dollar + 1))
        {
            var (name, end) = ReadName(value, dollar + 1);
            if (name is null) continue;
            if (dollar > literal) parts.Add((value[literal..dollar], false));
            parts.Add((name, true));
            literal = end;
            dollar = end - 1;
        }
        if (literal < value.Length) parts.Add((value[literal..], false));
        return parts;
    }

    private static (string? Name, int End) ReadName(string value, int start)
    {
        if (start < value.Length && value[start] == '{')
        {
            var close = value.IndexOf('}', start + 1);
            return close > start + 1 ? (value[(start + 1)..close], close + 1) : (null, start);
        }
        var end = start;
        while (end < value.Length && (char.IsAsciiLetterOrDigit(value[end]) || value[end] == '_')) end++;
        if (end == start || char.IsAsciiDigit(value[start])) return (null, start);
        return (value[start..end], end);
    }
}
