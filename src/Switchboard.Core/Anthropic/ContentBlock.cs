using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary>
/// One content block of any type (text, image, document, tool_use, tool_result, thinking, redacted_thinking,
/// server tool blocks…). A single flat shape rather than a class per type: block types Anthropic adds later still
/// parse, and every field a type does not name survives in <see cref="Extra"/>.
/// </summary>
public sealed class ContentBlock
{
    [JsonPropertyName("type")] public string? Type { get; set; }

    // text
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("citations")] public JsonElement? Citations { get; set; }

    // image, document
    [JsonPropertyName("source")] public BlockSource? Source { get; set; }

    // tool_use, server_tool_use, mcp_tool_use
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("input")] public JsonElement? Input { get; set; }

    // tool_result and server tool results
    [JsonPropertyName("tool_use_id")] public string? ToolUseId { get; set; }
    [JsonPropertyName("content")] public MessageContent? Content { get; set; }
    [JsonPropertyName("is_error")] public bool? IsError { get; set; }

    // thinking, redacted_thinking
    [JsonPropertyName("thinking")] public string? Thinking { get; set; }
    [JsonPropertyName("signature")] public string? Signature { get; set; }
    [JsonPropertyName("data")] public string? Data { get; set; }

    [JsonPropertyName("cache_control")] public JsonElement? CacheControl { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>The <c>source</c> of an image or document: base64 data, a URL, a file id or text.</summary>
public sealed class BlockSource
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("media_type")] public string? MediaType { get; set; }
    [JsonPropertyName("data")] public string? Data { get; set; }
    [JsonPropertyName("url")] public string? Url { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

internal static class ContentBlockTypes
{
    public const string Text = "text";
    public const string Image = "image";
    public const string Document = "document";
    public const string ToolUse = "tool_use";
    public const string ToolResult = "tool_result";
    public const string Thinking = "thinking";
    public const string RedactedThinking = "redacted_thinking";
    public const string ServerToolUse = "server_tool_use";
}
