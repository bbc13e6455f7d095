using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// An Anthropic-compatible server (Ollama's <c>/v1/messages</c>) takes the Messages API as it was, not Anthropic's
/// newer parts that Claude Code sends on every request. Instead of forwarding them blindly, this removes
/// <c>context_management</c>, <c>output_config</c>, cache marks, tool <c>strict</c>/<c>defer_loading</c> (the tool is
/// then simply loaded, as Claude Code itself does when a server refuses tool search) and server tools only Anthropic
/// runs, and turns blocks such a server cannot read (documents, URL images, server tool blocks) into text.
/// Translated providers need none of this: their mappers send only what they map.
/// </summary>
internal sealed class FieldStripper : IRequestRepair
{
    private static readonly string[] ToolFlags = ["strict", "defer_loading", "eager_input_streaming"];
    private static readonly HashSet<string> ReadableBlocks = new(StringComparer.Ordinal)
    {
        ContentBlockTypes.Text, ContentBlockTypes.Image, ContentBlockTypes.ToolUse, ContentBlockTypes.ToolResult,
        ContentBlockTypes.Thinking, ContentBlockTypes.RedactedThinking,
    };

    public bool Applies(MessagesRequest request, TargetProfile target) =>
        target.Wire == TargetWire.AnthropicCompatible && (
            request.ContextManagement is not null || request.OutputConfig is not null ||
            (request.Tools ?? []).Any(tool => tool.CacheControl is not null || IsServerTool(tool) || ToolFlags.Any(flag => tool.Extra?.ContainsKey(flag) == true)) ||
            (request.System?.Blocks ?? []).Any(block => block.CacheControl is not null) ||
            History.AllBlocks(request).Any(block => block.CacheControl is not null || !IsReadable(block)));

    public Repaired Apply(MessagesRequest request, TargetProfile target)
    {
        var removed = new List<string>();
        if (request.ContextManagement is not null) removed.Add("context_management");
        if (request.OutputConfig is not null) removed.Add("output_config");
        request = request with { ContextManagement = null, OutputConfig = null };

        var tools = request.Tools ?? [];
        var serverTools = tools.RemoveAll(IsServerTool);
        var flagged = 0;
        foreach (var tool in tools)
        {
            if (tool.Extra is { } extra && ToolFlags.Count(flag => extra.Remove(flag)) > 0) flagged++;
        }

        var marks = 0;
        foreach (var tool in tools) marks += Unmark(tool);
        foreach (var block in request.System?.Blocks ?? []) marks += Unmark(block);
        var converted = 0;
        foreach (var message in History.Messages(request))
        {
            if (message.Content?.Blocks is not { } blocks) continue;
            converted += ToText(blocks);
            foreach (var block in blocks) if (block.Content?.Blocks is { } nested) converted += ToText(nested);
            marks += blocks.SelectMany(History.WithNested).Sum(Unmark);
        }

        if (marks > 0) removed.Add(History.Count(marks, "cache mark"));
        if (flagged > 0) removed.Add($"strict/defer_loading from {History.Count(flagged, "tool")}");
        if (serverTools > 0) removed.Add(History.Count(serverTools, "server tool"));
        if (converted > 0) removed.Add($"{History.Count(converted, "block")} it cannot read (now text)");
        return new(request, $"removed {string.Join(", ", removed)} for {target.Model}");
    }

    /// <summary>Tools with a <c>type</c> (web search, code execution…) run on Anthropic's servers only.</summary>
    private static bool IsServerTool(Tool tool) => tool.Type is not null and not "custom";

    private static bool IsReadable(ContentBlock block) =>
        ReadableBlocks.Contains(block.Type ?? "") && (block.Type != ContentBlockTypes.Image || block.Source?.Type == "base64");

    private static int ToText(List<ContentBlock> blocks)
    {
        var converted = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            if (IsReadable(blocks[i])) continue;
            blocks[i] = History.Text(blocks[i] is { Type: ContentBlockTypes.Document, Source: { Type: "text", Data: { Length: > 0 } text } }
                ? text
                : $"[{blocks[i].Type} omitted]");
            converted++;
        }
        return converted;
    }

    private static int Unmark(ContentBlock block)
    {
        if (block.CacheControl is null) return 0;
        block.CacheControl = null;
        return 1;
    }

    private static int Unmark(Tool tool)
    {
        if (tool.CacheControl is null) return 0;
        tool.CacheControl = null;
        return 1;
    }
}
