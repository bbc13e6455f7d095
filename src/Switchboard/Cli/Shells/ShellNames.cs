namespace Switchboard.Cli.Shells;

/// <summary>Which shell <c>activate</c> writes for: the one named by <c>--shell</c>, else the user's login shell.</summary>
internal static class ShellNames
{
    /// <summary>The names <c>--shell</c> takes.</summary>
    public static readonly string[] Accepted = ["bash", "zsh", "sh", "fish", "powershell", "pwsh"];

    public static ShellKind Parse(string name) => name switch
    {
        "fish" => ShellKind.Fish,
        "powershell" or "pwsh" => ShellKind.PowerShell,
        _ => ShellKind.Posix,
    };

    /// <summary>
    /// From <c>$SHELL</c> (<c>/usr/bin/fish</c>, <c>pwsh</c>); without one, PowerShell on Windows and POSIX elsewhere.
    /// Git Bash and MSYS set <c>$SHELL</c>, so they get POSIX on Windows too.
    /// </summary>
    public static ShellKind Detect(string? shell, bool windows)
    {
        if (string.IsNullOrWhiteSpace(shell)) return windows ? ShellKind.PowerShell : ShellKind.Posix;
        var name = Path.GetFileNameWithoutExtension(shell.Replace('\\', '/').TrimEnd('/').Split('/')[^1]).ToLowerInvariant();
        return name switch
        {
            "fish" => ShellKind.Fish,
            "pwsh" or "powershell" => ShellKind.PowerShell,
            _ => ShellKind.Posix,
        };
    }
}
