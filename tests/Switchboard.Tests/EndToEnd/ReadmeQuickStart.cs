using System.Text.RegularExpressions;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// The README's quick starts as a reader copies them: under <c>## Quick start</c>, one <c>### path</c> heading each,
/// and the first <c>```bash</c> block under it.
/// </summary>
public static partial class ReadmeQuickStart
{
    public const string Subscription = "With a Claude subscription";
    public const string ApiKey = "With an API key";
    public const string LocalOllama = "Local models only (Ollama)";

    public static string ReadmeFile => Path.Combine(ClaudeCodeRunner.RepoRoot, "README.md");

    /// <summary>Each path's heading and its bash block, in README order.</summary>
    public static IReadOnlyList<(string Heading, string Block)> Paths()
    {
        var readme = File.ReadAllText(ReadmeFile).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n## Quick start\n", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"{ReadmeFile} has no '## Quick start' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? readme[start..] : readme[start..end];
        return Heading().Split(section).Skip(1).Chunk(2)
            .Select(pair => (pair[0].Trim(), BashBlock().Match(pair[1]) is { Success: true } block
                ? block.Groups[1].Value
                : throw new InvalidOperationException($"The quick start '{pair[0].Trim()}' has no ```bash block")))
            .ToList();
    }

    public static string Block(string heading) =>
        Paths().FirstOrDefault(path => path.Heading == heading).Block
        ?? throw new InvalidOperationException($"The README's quick start has no '### {heading}'");

    [GeneratedRegex(@"^### (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^```bash\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
