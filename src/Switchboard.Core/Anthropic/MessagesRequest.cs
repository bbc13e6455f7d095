using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary>
/// The body of <c>POST /v1/messages</c> (and <c>count_tokens</c>). Every field Anthropic documents is typed;
/// anything else lands in <see cref="Extra"/> and is written back unchanged, so a request survives a round trip.
/// </summary>
public sealed class MessagesRequest
{
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("messages")] public List<Message>? Messages { get; set; }
    [JsonPropertyName("system")] public MessageContent? System { get; set; }
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; set; }
    [JsonPropertyName("stream")] public bool? Stream { get; set; }
    [JsonPropertyName("tools")] public List<Tool>? Tools { get; set; }
    [JsonPropertyName("tool_choice")] public ToolChoice? ToolChoice { get; set; }
    [JsonPropertyName("thinking")] public ThinkingConfig? Thinking { get; set; }
    [JsonPropertyName("output_config")] public OutputConfig? OutputConfig { get; set; }
    [JsonPropertyName("context_management")] public ContextManagement? ContextManagement { get; set; }
    [JsonPropertyName("metadata")] public RequestMetadata? Metadata { get; set; }
    [JsonPropertyName("stop_sequences")] public List<string>? StopSequences { get; set; }
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }
    [JsonPropertyName("top_p")] public double? TopP { get; set; }
    [JsonPropertyName("top_k")] public int? TopK { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    [JsonIgnore] public bool IsStreaming => Stream == true;
}

/// <summary>One turn. Current Claude Code also sends <c>role: "system"</c> turns mid-conversation.</summary>
public sealed class Message
{
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("content")] public MessageContent? Content { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Tool
{
    /// <summary>Set for server tools (<c>web_search_20250305</c>, …); absent for custom tools.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("input_schema")] public JsonElement? InputSchema { get; set; }
    [JsonPropertyName("cache_control")] public JsonElement? CacheControl { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ToolChoice
{
    /// <summary><c>auto</c>, <c>any</c>, <c>tool</c> or <c>none</c>.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("disable_parallel_tool_use")] public bool? DisableParallelToolUse { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ThinkingConfig
{
    /// <summary><c>enabled</c> (with <see cref="BudgetTokens"/>), <c>adaptive</c> or <c>disabled</c>.</summary>
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("budget_tokens")] public int? BudgetTokens { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class OutputConfig
{
    [JsonPropertyName("effort")] public string? Effort { get; set; }
    [JsonPropertyName("format")] public JsonElement? Format { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class ContextManagement
{
    [JsonPropertyName("edits")] public JsonElement? Edits { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class RequestMetadata
{
    [JsonPropertyName("user_id")] public string? UserId { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}
