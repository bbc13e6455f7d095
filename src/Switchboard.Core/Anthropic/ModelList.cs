using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary>The body of <c>GET /v1/models</c>, in Anthropic's paging shape.</summary>
public sealed class ModelList
{
    [JsonPropertyName("data")] public List<ModelInfo> Data { get; set; } = [];
    [JsonPropertyName("has_more")] public bool HasMore { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonPropertyName("first_id")] public string? FirstId { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    [JsonPropertyName("last_id")] public string? LastId { get; set; }
}

public sealed class ModelInfo
{
    [JsonPropertyName("type")] public string Type { get; set; } = "model";
    [JsonPropertyName("id")] public required string Id { get; set; }
    [JsonPropertyName("display_name")] public required string DisplayName { get; set; }
    /// <summary>Not in Anthropic's list; Claude Code's <c>/model</c> picker shows it under the name.</summary>
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("created_at")] public string CreatedAt { get; set; } = "2025-01-01T00:00:00Z";
    /// <summary>The model's context window in tokens, as Anthropic's list gives it; left out when unknown.</summary>
    [JsonPropertyName("max_input_tokens")] public int? MaxInputTokens { get; set; }
    /// <summary>The most tokens one reply may have, as Anthropic's list gives it; left out when unknown.</summary>
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; set; }
}

/// <summary>
/// An upstream's <c>GET /v1/models</c> as read. Anthropic lists every field, but Anthropic-compatible servers often
/// leave out <c>display_name</c> (or more); such a model is listed by its id rather than the whole list dropped.
/// </summary>
public sealed class UpstreamModelList
{
    [JsonPropertyName("data")] public List<UpstreamModel?>? Data { get; set; }
}

public sealed class UpstreamModel
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("display_name")] public string? DisplayName { get; set; }
    [JsonPropertyName("max_input_tokens")] public int? MaxInputTokens { get; set; }
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; set; }
}
