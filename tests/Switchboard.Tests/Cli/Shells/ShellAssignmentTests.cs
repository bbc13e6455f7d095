using System.Diagnostics;
using Shouldly;
using Switchboard.Cli.Shells;
using Switchboard.Config;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli.Shells;

/// <summary>
/// Each shell's assignment takes a value byte for byte and reads <c>$VAR</c> references itself. bash and fish are run
/// for real; PowerShell is not in Debian, so its lines are checked against its quoting rules by table.
/// </summary>
public sealed class ShellAssignmentTests
{
    /// <summary>Values that break naive quoting, as config templates; <c>SB_Q_KEY</c> is set when the shell runs.</summary>
    public static readonly TheoryData<string> Awkward =
    [
        "plain",
        "",
        "two words  and a\ttab",
        "it's",
        "say \"hi\"",
        "price $5, $ alone, ${} and ${unterminated",
        "back\\slash\\",
        "`tick` $(date) ; echo injected",
        "‘typographic’ ‚quotes‛",
        "x-switchboard-key: $SB_Q_KEY",
        "${SB_Q_KEY}tail and $SB_Q_KEY_MISSING",
        "-starts-with-a-dash",
    ];

    private const string Key = "k 1'2\"3 $HOME \\ `x`";

    [Theory]
    [MemberData(nameof(Awkward))]
    public async Task Line_RunByBash_SetsTheValueCodeWouldGive(string template) =>
        (await RunAsync(Infrastructure.Shells.Bash, ShellKind.Posix, template)).ShouldBe(Expanded(template));

    [Theory]
    [MemberData(nameof(Awkward))]
    public async Task Line_RunByFish_SetsTheValueCodeWouldGive(string template) =>
        (await RunAsync(Infrastructure.Shells.Fish, ShellKind.Fish, template)).ShouldBe(Expanded(template));

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("", "''")]
    [InlineData("two words", "'two words'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("say \"hi\" $5 `n", "'say \"hi\" $5 `n'")]
    [InlineData("back\\slash", "'back\\slash'")]
    [InlineData("‘a’ ‚b‛", "'‘‘a’’ ‚‚b‛‛'")]
    [InlineData("x-switchboard-key: $SB_Q_KEY", "'x-switchboard-key: ' + $env:SB_Q_KEY")]
    [InlineData("${SB_Q_KEY}!", "'' + $env:SB_Q_KEY + '!'")]
    [InlineData("$A$B", "'' + $env:A + $env:B")]
    [InlineData("${odd name}", "'' + [Environment]::GetEnvironmentVariable('odd name')")]
    public void Line_ForPowerShell_QuotesLiteralsAndReadsVariablesFromEnv(string template, string value) =>
        ShellAssignment.Line(ShellKind.PowerShell, "SB_Q_OUT", template).ShouldBe($"$env:SB_Q_OUT = {value}");

    [Theory]
    [InlineData("it's $5", "export SB_Q_OUT='it'\\''s $5'")]
    [InlineData("key $SB_Q_KEY", "export SB_Q_OUT='key '\"${SB_Q_KEY}\"")]
    public void Line_ForPosix_IsSingleQuotedWithVariablesOutside(string template, string line) =>
        ShellAssignment.Line(ShellKind.Posix, "SB_Q_OUT", template).ShouldBe(line);

    [Theory]
    [InlineData("it's \\ $5", "set -gx SB_Q_OUT 'it\\'s \\\\ $5'")]
    [InlineData("key $SB_Q_KEY", "set -gx SB_Q_OUT 'key '\"$SB_Q_KEY\"")]
    public void Line_ForFish_IsSingleQuotedWithVariablesOutside(string template, string line) =>
        ShellAssignment.Line(ShellKind.Fish, "SB_Q_OUT", template).ShouldBe(line);

    [Theory]
    [InlineData("/bin/bash", false, "Posix")]
    [InlineData("/usr/bin/zsh", false, "Posix")]
    [InlineData("/usr/local/bin/fish", false, "Fish")]
    [InlineData("/opt/microsoft/powershell/7/pwsh", false, "PowerShell")]
    [InlineData("C:\\Program Files\\PowerShell\\7\\pwsh.exe", true, "PowerShell")]
    [InlineData("/usr/bin/bash", true, "Posix")]
    [InlineData(null, false, "Posix")]
    [InlineData(null, true, "PowerShell")]
    [InlineData("/bin/tcsh", false, "Posix")]
    public void Detect_FromShellVariable_PicksTheLanguage(string? shell, bool windows, string expected) =>
        ShellNames.Detect(shell, windows).ToString().ShouldBe(expected);

    /// <summary>What <c>code</c> gives Claude Code for the template, with printenv's newline.</summary>
    private static string Expanded(string template) => EnvExpander.Expand(template, name => name == "SB_Q_KEY" ? Key : null) + "\n";

    /// <summary>
    /// Runs the assignment in the real shell with only <c>SB_Q_KEY</c> set, then prints the variable as a child
    /// process sees it (exported, not just set).
    /// </summary>
    private static async Task<string> RunAsync(string shell, ShellKind kind, string template)
    {
        using var home = new TempHome();
        var info = new ProcessStartInfo(shell);
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(ShellAssignment.Line(kind, "SB_Q_OUT", template) + "\nprintenv SB_Q_OUT");
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        info.Environment["HOME"] = home.Folder;
        info.Environment["SB_Q_KEY"] = Key;
        var result = await ChildProcess.RunAsync(info, TimeSpan.FromSeconds(30));
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stderr.ShouldBeEmpty(result.ToString());
        return result.Stdout;
    }
}
