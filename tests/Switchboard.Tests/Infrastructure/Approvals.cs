using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Golden files for output people read (help, status, advice), as Spectre's <c>*.verified.txt</c> and
/// System.CommandLine's help approvals do: the approved text lives next to the test in <c>Approved/NAME.verified.txt</c>;
/// a run that prints anything else writes <c>NAME.received.txt</c> beside it and fails with the first lines that differ.
/// A change in wording is then a reviewed diff: look at the received file, and if it is right run <c>tests/approve</c>.
/// </summary>
public static partial class Approvals
{
    /// <summary>Fails unless <paramref name="actual"/> equals the approved text of <paramref name="name"/>.</summary>
    public static void Verify(string name, string actual, [CallerFilePath] string testFile = "")
    {
        if (Compare(name, actual, testFile) is { } failure) throw new XunitException(failure);
    }

    /// <summary>Null when <paramref name="actual"/> is the approved text; else what differs (and the received file is written).</summary>
    public static string? Compare(string name, string actual, [CallerFilePath] string testFile = "")
    {
        var (verified, received) = Files(name, testFile);
        var text = Normalize(actual);
        var approved = File.Exists(verified) ? File.ReadAllText(verified) : null;
        if (approved == text)
        {
            File.Delete(received);
            return null;
        }
        File.WriteAllText(received, text);
        return approved is null
            ? $"{name}: nothing approved yet. Review {received} and run tests/approve."
            : $"{name}: the output differs from {verified}.\n{FirstDifference(approved, text)}\nReview {received}; if it is right, run tests/approve.";
    }

    /// <summary>The names of the approved files of one test file whose names start with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> Approved(string prefix, [CallerFilePath] string testFile = "") =>
        [.. Directory.GetFiles(Folder(testFile), prefix + "*.verified.txt")
            .Select(path => Path.GetFileName(path)[..^".verified.txt".Length]).Order(StringComparer.Ordinal)];

    private static string Folder(string testFile) => Path.Combine(Path.GetDirectoryName(testFile)!, "Approved");

    private static (string Verified, string Received) Files(string name, string testFile)
    {
        var folder = Folder(testFile);
        Directory.CreateDirectory(folder);
        return (Path.Combine(folder, name + ".verified.txt"), Path.Combine(folder, name + ".received.txt"));
    }

    /// <summary>
    /// Line endings, trailing spaces (Spectre pads table rows) and colour are not what a reader reviews; colour also
    /// depends on the machine (Spectre turns ANSI on when it sees a CI's variables, even into a pipe).
    /// </summary>
    private static string Normalize(string text)
    {
        var lines = AnsiEscape().Replace(text, "").ReplaceLineEndings("\n").Split('\n').Select(line => line.TrimEnd());
        return string.Join('\n', lines).TrimEnd('\n') + "\n";
    }

    private static string FirstDifference(string approved, string received)
    {
        var expected = approved.Split('\n');
        var actual = received.Split('\n');
        var line = 0;
        while (line < expected.Length && line < actual.Length && expected[line] == actual[line]) line++;
        var report = new StringBuilder($"First difference at line {line + 1}:\n");
        for (var i = line; i < line + 3; i++)
        {
            if (i < expected.Length) report.Append("  approved: ").AppendLine(expected[i]);
            if (i < actual.Length) report.Append("  received: ").AppendLine(actual[i]);
        }
        return report.ToString();
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
