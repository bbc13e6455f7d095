namespace Switchboard.Cli.Shells;

/// <summary>The shell languages <c>activate</c> writes: each has its own assignment and quoting rules.</summary>
internal enum ShellKind
{
    /// <summary>bash, zsh, sh, dash, ksh: <c>export NAME='value'</c>.</summary>
    Posix,

    /// <summary>fish: <c>set -gx NAME 'value'</c>.</summary>
    Fish,

    /// <summary>PowerShell (pwsh and Windows PowerShell): <c>$env:NAME = 'value'</c>.</summary>
    PowerShell,
}
