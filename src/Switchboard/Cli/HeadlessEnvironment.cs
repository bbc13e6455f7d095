namespace Switchboard.Cli;

/// <summary>
/// What <c>switchboard code --non-interactive</c> (or <c>claudeCode.nonInteractive</c>) adds to Claude Code's
/// environment for CI, Docker and scripts, as claude-code-router's <c>NON_INTERACTIVE_MODE</c> does: no prompts, no
/// colours, no readline, no terminal capabilities assumed (claude-code-router's guide: without <c>TERM=dumb</c>, tput errors pollute
/// the output), no auto-update.
/// </summary>
internal static class HeadlessEnvironment
{
    public static readonly IReadOnlyList<(string Name, string Value)> Variables =
    [
        ("CI", "true"),
        ("TERM", "dumb"),
        ("FORCE_COLOR", "0"),
        ("NO_COLOR", "1"),
        ("NODE_NO_READLINE", "1"),
        ("DISABLE_AUTOUPDATER", "1"),
    ];

    /// <summary>
    /// Claude Code waits for stdin when it is not a terminal and nothing arrives (the "no stdin data received" warning claude-code-router's guide reports);
    /// headless, a terminal stdin is replaced by an empty one, while a pipe is still passed on.
    /// </summary>
    public static bool ShouldCloseStdin => !Console.IsInputRedirected;
}
