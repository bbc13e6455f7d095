using System.Text;
using Switchboard.Config;

namespace Switchboard.Cli.Shells;

/// <summary>
/// One environment assignment in a shell's own language. Values are config templates, as <c>code</c> reads them
/// (<see cref="EnvExpander"/>): literal text is quoted so the shell takes it byte for byte (spaces, quotes,
/// <c>$</c>, backslashes), and each <c>$VAR</c>/<c>${VAR}</c> becomes the shell's own reference, so a key kept in
/// the environment is read by the shell and never printed.
/// </summary>
internal static class ShellAssignment
{
    public static string Line(ShellKind shell, string name, string template) => shell switch
    {
        ShellKind.Fish => $"set -gx {name} {Value(template, FishLiteral, FishVariable)}",
        ShellKind.PowerShell => $"$env:{name} = {PowerShellValue(template)}",
        _ => $"export {name}={Value(template, PosixLiteral, PosixVariable)}",
    };

    /// <summary>The parts side by side: every shell here joins adjacent quoted words into one.</summary>
    private static string Value(string template, Func<string, string> literal, Func<string, string> variable)
    {
        var parts = EnvExpander.Parts(template);
        if (parts.Count == 0) return literal("");
        var value = new StringBuilder();
        foreach (var (text, isVariable) in parts) value.Append(isVariable ? variable(text) : literal(text));
        return value.ToString();
    }

    /// <summary>Single quotes take everything literally; a quote closes, is escaped, and reopens.</summary>
    private static string PosixLiteral(string text) => "'" + text.Replace("'", "'\\''") + "'";

    /// <summary>Quoted so an empty or spaced value stays one word; a name no shell can spell is read with printenv.</summary>
    private static string PosixVariable(string name) =>
        IsIdentifier(name) ? $"\"${{{name}}}\"" : $"\"$(printenv {PosixLiteral(name)})\"";

    /// <summary>fish's single quotes know two escapes, <c>\'</c> and <c>\\</c>.</summary>
    private static string FishLiteral(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";

    /// <summary>Double quotes, or an unset variable would make the whole value vanish (fish expands lists).</summary>
    private static string FishVariable(string name) =>
        IsIdentifier(name) ? $"\"${name}\"" : $"\"$(printenv {FishLiteral(name)})\"";

    /// <summary>Parts joined with <c>+</c>, starting from a string so an unset variable still gives one.</summary>
    private static string PowerShellValue(string template)
    {
        var parts = EnvExpander.Parts(template)
            .Select(part => part.IsVariable ? PowerShellVariable(part.Text) : PowerShellLiteral(part.Text)).ToList();
        if (parts.Count == 0 || !parts[0].StartsWith('\'')) parts.Insert(0, "''");
        return string.Join(" + ", parts);
    }

    /// <summary>
    /// Single quotes, each quote doubled. PowerShell also takes the typographic quotes (U+2018 to U+201B) as single
    /// quotes, so they are doubled too, as its own <c>CodeGeneration.EscapeSingleQuotedStringContent</c> does.
    /// </summary>
    private static string PowerShellLiteral(string text)
    {
        var quoted = new StringBuilder("'");
        foreach (var c in text) quoted.Append(c).Append(c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B' ? c.ToString() : "");
        return quoted.Append('\'').ToString();
    }

    private static string PowerShellVariable(string name) =>
        IsIdentifier(name) ? $"$env:{name}" : $"[Environment]::GetEnvironmentVariable({PowerShellLiteral(name)})";

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
