namespace Switchboard.Tests.Infrastructure;

/// <summary>The real shells the activate tests evaluate output with. fish missing fails the test with how to install it.</summary>
public static class Shells
{
    public const string Bash = "/bin/bash";

    public static string Fish => new[] { "/usr/bin/fish", "/usr/local/bin/fish" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("fish is not installed; ./test.sh installs it (apt-get install fish).");

    /// <summary>The shell's path, for a test's <c>$SHELL</c> and to run it.</summary>
    public static string PathOf(string shell) => shell switch
    {
        "bash" => Bash,
        "fish" => Fish,
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "no such shell in the tests"),
    };

    /// <summary>A script that evaluates <paramref name="printer"/>'s output in that shell, then runs <paramref name="then"/>.</summary>
    public static string Evaluate(string shell, string printer, string then) => shell switch
    {
        "bash" => $"eval \"$({printer})\" && {then}",
        "fish" => $"{printer} | source && {then}",
        _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, "no such shell in the tests"),
    };
}
