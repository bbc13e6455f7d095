using System.Text.Json;

namespace Switchboard.Anthropic;

/// <summary>
/// The content half of <see cref="RequestValidator"/>: a <c>content</c> or <c>system</c> value, its blocks, and the
/// blocks inside tool results. Each block needs a <c>type</c>; the types every provider reads need the fields their
/// mappers and the repairs rely on (Anthropic names the type in the path: <c>messages.1.content.0.tool_use.id: Field
/// required</c>); any other type, Anthropic's newer ones included, passes as it is.
/// </summary>
internal static class ContentValidator
{
    /// <summary><paramref name="expected"/> completes "Input should be …" for a value that is neither string nor list.</summary>
    public static string? Content(string path, MessageContent? content, string expected) => content switch
    {
        null or { Text: not null } => null,
        { Blocks: { } blocks } => Blocks(path, blocks),
        _ => $"{path}: Input should be {expected} (got {Kind(content.Raw)})",
    };

    private static string? Blocks(string path, List<ContentBlock> blocks)
    {
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i] is not { } block) return $"{path}.{i}: Input should be a valid dictionary";
            if (Block($"{path}.{i}", block) is { } problem) return problem;
        }
        return null;
    }

    private static string? Block(string path, ContentBlock block)
    {
        if (block.Type is not { } type) return $"{path}.type: Field required";
        var tagged = $"{path}.{type}";
        return type switch
        {
            ContentBlockTypes.Text when block.Text is null => $"{tagged}.text: Field required",
            ContentBlockTypes.Image or ContentBlockTypes.Document when block.Source is null => $"{tagged}.source: Field required",
            ContentBlockTypes.Image or ContentBlockTypes.Document when block.Source.Type is null => $"{tagged}.source.type: Field required",
            ContentBlockTypes.ToolUse when block.Id is null => $"{tagged}.id: Field required",
            ContentBlockTypes.ToolUse when block.Name is null => $"{tagged}.name: Field required",
            ContentBlockTypes.ToolUse when block.Input is null => $"{tagged}.input: Field required",
            ContentBlockTypes.ToolUse when block.Input.Value.ValueKind != JsonValueKind.Object =>
                $"{tagged}.input: Input should be a valid dictionary (got {Kind(block.Input)})",
            ContentBlockTypes.ToolResult when block.ToolUseId is null => $"{tagged}.tool_use_id: Field required",
            ContentBlockTypes.ToolResult => Content($"{path}.content", block.Content, "a valid string or a list of content blocks"),
            ContentBlockTypes.Thinking when block.Thinking is null => $"{tagged}.thinking: Field required",
            ContentBlockTypes.RedactedThinking when block.Data is null => $"{tagged}.data: Field required",
            // A server tool's result may hold an error object instead of blocks; blocks, when there are, are checked.
            _ when block.Content?.Blocks is { } nested => Blocks($"{path}.content", nested),
            _ => null,
        };
    }

    private static string Kind(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        _ => "null",
    };
}
