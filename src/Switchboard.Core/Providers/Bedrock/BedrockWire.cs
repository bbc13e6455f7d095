using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Providers.Bedrock;

// Amazon Bedrock Runtime: POST /model/{modelId}/converse and /converse-stream (every model), and
// /invoke-with-response-stream (the model's own body; the Anthropic Messages body for Claude models).

internal sealed class ConverseRequest
{
    public required List<ConverseMessage> Messages { get; set; }
    public List<ConverseSystemBlock>? System { get; set; }
    public ConverseInferenceConfig? InferenceConfig { get; set; }
    public ConverseToolConfig? ToolConfig { get; set; }

    /// <summary>Model-specific fields Converse does not model, e.g. Claude's <c>thinking</c> and <c>top_k</c>.</summary>
    public Dictionary<string, JsonElement>? AdditionalModelRequestFields { get; set; }
}

internal sealed class ConverseSystemBlock
{
    public string? Text { get; set; }
}

internal sealed class ConverseMessage
{
    /// <summary><c>user</c> or <c>assistant</c>, alternating, starting with <c>user</c>.</summary>
    public required string Role { get; set; }
    public List<ConverseBlock> Content { get; set; } = [];
}

/// <summary>A content block: exactly one member is set.</summary>
internal sealed class ConverseBlock
{
    public string? Text { get; set; }
    public ConverseImage? Image { get; set; }
    public ConverseDocument? Document { get; set; }
    public ConverseToolUse? ToolUse { get; set; }
    public ConverseToolResult? ToolResult { get; set; }
    public ConverseReasoning? ReasoningContent { get; set; }
}

internal sealed class ConverseImage
{
    /// <summary><c>png</c>, <c>jpeg</c>, <c>gif</c> or <c>webp</c>.</summary>
    public required string Format { get; set; }
    public required ConverseSource Source { get; set; }
}

internal sealed class ConverseDocument
{
    public required string Format { get; set; }
    public required string Name { get; set; }
    public required ConverseSource Source { get; set; }
}

internal sealed class ConverseSource
{
    /// <summary>Base64 in JSON.</summary>
    public required string Bytes { get; set; }
}

internal sealed class ConverseToolUse
{
    public required string ToolUseId { get; set; }
    public required string Name { get; set; }
    public JsonElement? Input { get; set; }
}

internal sealed class ConverseToolResult
{
    public required string ToolUseId { get; set; }
    public required List<ConverseToolResultContent> Content { get; set; }

    /// <summary><c>success</c> or <c>error</c>.</summary>
    public string? Status { get; set; }
}

internal sealed class ConverseToolResultContent
{
    public string? Text { get; set; }
    public ConverseImage? Image { get; set; }
}

internal sealed class ConverseReasoning
{
    public ConverseReasoningText? ReasoningText { get; set; }

    /// <summary>Base64 of encrypted reasoning (Anthropic's redacted thinking).</summary>
    public string? RedactedContent { get; set; }
}

internal sealed class ConverseReasoningText
{
    public required string Text { get; set; }
    public string? Signature { get; set; }
}

internal sealed class ConverseInferenceConfig
{
    public int? MaxTokens { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public List<string>? StopSequences { get; set; }
}

internal sealed class ConverseToolConfig
{
    public required List<ConverseTool> Tools { get; set; }
    public ConverseToolChoice? ToolChoice { get; set; }
}

internal sealed class ConverseTool
{
    public required ConverseToolSpec ToolSpec { get; set; }
}

internal sealed class ConverseToolSpec
{
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required ConverseSchema InputSchema { get; set; }
}

internal sealed class ConverseSchema
{
    public required JsonElement Json { get; set; }
}

/// <summary>Exactly one member is set; <c>auto</c> and <c>any</c> are empty objects.</summary>
internal sealed class ConverseToolChoice
{
    public JsonElement? Auto { get; set; }
    public JsonElement? Any { get; set; }
    public ConverseNamedTool? Tool { get; set; }
}

internal sealed class ConverseNamedTool
{
    public required string Name { get; set; }
}

/// <summary>The non-streaming reply.</summary>
internal sealed class ConverseResponse
{
    public ConverseOutput? Output { get; set; }
    public string? StopReason { get; set; }
    public ConverseUsage? Usage { get; set; }
}

internal sealed class ConverseOutput
{
    public ConverseMessage? Message { get; set; }
}

internal sealed class ConverseUsage
{
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }
    public int? CacheReadInputTokens { get; set; }
    public int? CacheWriteInputTokens { get; set; }
}

// Stream events, one JSON payload per event-stream message, named by its :event-type header.

internal sealed class ConverseBlockStart
{
    public ConverseStart? Start { get; set; }
}

internal sealed class ConverseStart
{
    public ConverseToolUse? ToolUse { get; set; }
}

internal sealed class ConverseBlockDelta
{
    public ConverseDelta? Delta { get; set; }
}

internal sealed class ConverseDelta
{
    public string? Text { get; set; }
    public ConverseToolInputDelta? ToolUse { get; set; }
    public ConverseReasoningDelta? ReasoningContent { get; set; }
}

internal sealed class ConverseToolInputDelta
{
    /// <summary>A fragment of the arguments' JSON text.</summary>
    public string? Input { get; set; }
}

internal sealed class ConverseReasoningDelta
{
    public string? Text { get; set; }
    public string? Signature { get; set; }
    public string? RedactedContent { get; set; }
}

internal sealed class ConverseMessageStop
{
    public string? StopReason { get; set; }
}

internal sealed class ConverseMetadata
{
    public ConverseUsage? Usage { get; set; }
}

/// <summary>An InvokeModel stream chunk: the model's own event, base64 in <c>bytes</c>.</summary>
internal sealed class InvokeChunk
{
    public string? Bytes { get; set; }
}

internal sealed class BedrockErrorBody
{
    public string? Message { get; set; }

    [JsonPropertyName("Message")] public string? MessageUpper { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConverseRequest))]
[JsonSerializable(typeof(ConverseResponse))]
[JsonSerializable(typeof(ConverseBlockStart))]
[JsonSerializable(typeof(ConverseBlockDelta))]
[JsonSerializable(typeof(ConverseMessageStop))]
[JsonSerializable(typeof(ConverseMetadata))]
[JsonSerializable(typeof(InvokeChunk))]
[JsonSerializable(typeof(BedrockErrorBody))]
internal sealed partial class BedrockJson : JsonSerializerContext;
