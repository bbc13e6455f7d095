using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary><c>{"type":"error","error":{"type":…,"message":…}}</c>: the only shape a failure ever takes.</summary>
public sealed class ErrorResponse
{
    [JsonPropertyName("type")] public string Type { get; set; } = "error";
    [JsonPropertyName("error")] public required ErrorDetail Error { get; set; }
}

public sealed class ErrorDetail
{
    [JsonPropertyName("type")] public required string Type { get; set; }
    [JsonPropertyName("message")] public required string Message { get; set; }
}

/// <summary>The body of a <c>count_tokens</c> reply.</summary>
public sealed class TokenCount
{
    [JsonPropertyName("input_tokens")] public int InputTokens { get; set; }
}
