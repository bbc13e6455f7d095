namespace Switchboard.Anthropic;

/// <summary>
/// The system prompt as a translating provider should see it: the text of every system block, minus Claude Code's
/// attribution block (<c>x-anthropic-billing-header: …</c>), which means something to Anthropic only.
/// </summary>
internal static class SystemPrompt
{
    private const string AttributionPrefix = "x-anthropic-billing-header:";

    public static bool IsAttribution(string? text) =>
        text is not null && text.StartsWith(AttributionPrefix, StringComparison.Ordinal);

    /// <summary>The non-empty text blocks of <paramref name="content"/>, attribution removed.</summary>
    public static IEnumerable<string> Texts(MessageContent? content) =>
        (content?.AsBlocks() ?? [])
            .Where(block => block.Type == ContentBlockTypes.Text && !string.IsNullOrEmpty(block.Text) && !IsAttribution(block.Text))
            .Select(block => block.Text!);

    public static string Text(MessageContent? content) => string.Join("\n\n", Texts(content));
}
