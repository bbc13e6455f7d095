using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary>A complete (non-streaming) reply, and the <c>message</c> of a <c>message_start</c> event.</summary>
public sealed class MessageResponse
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("type")] public string Type { get; set; } = "message";
    [JsonPropertyName("role")] public string Role { get; set; } = "assistant";
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("content")] public List<ContentBlock> Content { get; set; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonPropertyName("stop_reason")] public string? StopReason { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonPropertyName("stop_sequence")] public string? StopSequence { get; set; }

    [JsonPropertyName("usage")] public Usage? Usage { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class Usage
{
    [JsonPropertyName("input_tokens")] public int? InputTokens { get; set; }
    [JsonPropertyName("output_tokens")] public int? OutputTokens { get; set; }
    [JsonPropertyName("cache_creation_input_tokens")] public int? CacheCreationInputTokens { get; set; }
    [JsonPropertyName("cache_read_input_tokens")] public int? CacheReadInputTokens { get; set; }
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>Takes every count <paramref name="later"/> reports; a <c>message_delta</c> carries cumulative totals.</summary>
    public void MergeFrom(Usage later)
    {
        InputTokens = later.InputTokens ?? InputTokens;
        OutputTokens = later.OutputTokens ?? OutputTokens;
        CacheCreationInputTokens = later.CacheCreationInputTokens ?? CacheCreationInputTokens;
        CacheReadInputTokens = later.CacheReadInputTokens ?? CacheReadInputTokens;
        if (later.Extra is null) return;
        Extra ??= [];
        foreach (var (key, value) in later.Extra) Extra[key] = value;
    }
}

internal static class StopReasons
{
    public const string EndTurn = "end_turn";
    public const string MaxTokens = "max_tokens";
    public const string StopSequence = "stop_sequence";
    public const string ToolUse = "tool_use";
    public const string PauseTurn = "pause_turn";
    public const string Refusal = "refusal";
}
