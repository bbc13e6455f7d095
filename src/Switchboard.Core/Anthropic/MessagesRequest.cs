using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary>
/// The body of <c>POST /v1/messages</c> (and <c>count_tokens</c>). Every field Anthropic documents is typed;
/// anything else lands in <see cref="Extra"/> and is written back unchanged, so a request survives a round trip.
/// A value: every stage that changes it (routing, a target's model, a repair, events mode) makes its own copy
/// (<c>request with { … }</c>), so none can change what the stage before it handed on, and "is this still what the
/// client sent?" is answered by comparing (<see cref="Providers.ProviderCall.RequestChanged"/>). The equality is a
/// record's: member by member, with lists and nested parts compared by reference, which is enough because a copy
/// that edits a nested part makes that part anew. No member has an initializer: with <c>init</c>, the source
/// generator leaves a key the JSON omits at <c>default</c> (dotnet/runtime#84484), which for every member here is
/// what "absent" means.
/// </summary>
public sealed record MessagesRequest
{
    [JsonPropertyName("model")] public string? Model { get; init; }
    [JsonPropertyName("messages")] public List<Message>? Messages { get; init; }
    [JsonPropertyName("system")] public MessageContent? System { get; init; }
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }
    [JsonPropertyName("stream")] public bool? Stream { get; init; }
    [JsonPropertyName("tools")] public List<Tool>? Tools { get; init; }
    [JsonPropertyName("tool_choice")] public ToolChoice? ToolChoice { get; init; }
    [JsonPropertyName("thinking")] public ThinkingConfig? Thinking { get; init; }
    [JsonPropertyName("output_config")] public OutputConfig? OutputConfig { get; init; }
    [JsonPropertyName("context_management")] public ContextManagement? ContextManagement { get; init; }
    [JsonPropertyName("metadata")] public RequestMetadata? Metadata { get; init; }
    [JsonPropertyName("stop_sequences")] public List<string>? StopSequences { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
    [JsonPropertyName("top_p")] public double? TopP { get; init; }
    [JsonPropertyName("top_k")] public int? TopK { get; init; }
    /// <summary>
    /// Not <c>init</c>: System.Text.Json cannot fill extension data through an init accessor, which it binds like a
    /// constructor parameter. An internal setter the serializer alone uses keeps it read-only to every stage.
    /// </summary>
    [JsonExtensionData, JsonInclude] public Dictionary<string, JsonElement>? Extra { get; internal set; }

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
