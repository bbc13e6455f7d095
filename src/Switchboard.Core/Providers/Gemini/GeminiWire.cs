using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Providers.Gemini;

// The Gemini API (v1beta): POST models/{model}:generateContent, :streamGenerateContent?alt=sse, :countTokens.

internal sealed class GeminiRequest
{
    public required List<GeminiContent> Contents { get; set; }
    public GeminiContent? SystemInstruction { get; set; }
    public List<GeminiTool>? Tools { get; set; }
    public GeminiToolConfig? ToolConfig { get; set; }
    public GeminiGenerationConfig? GenerationConfig { get; set; }
}

internal sealed class GeminiContent
{
    /// <summary><c>user</c> or <c>model</c>; absent on <c>systemInstruction</c>.</summary>
    public string? Role { get; set; }
    public List<GeminiPart> Parts { get; set; } = [];
}

internal sealed class GeminiPart
{
    public string? Text { get; set; }

    /// <summary>True on parts that are the model's thoughts rather than its answer.</summary>
    public bool? Thought { get; set; }

    /// <summary>Opaque; must come back unchanged on the part it arrived on (Gemini 3 rejects function calls without).</summary>
    public string? ThoughtSignature { get; set; }

    public GeminiBlob? InlineData { get; set; }
    public GeminiFileData? FileData { get; set; }
    public GeminiFunctionCall? FunctionCall { get; set; }
    public GeminiFunctionResponse? FunctionResponse { get; set; }
}

internal sealed class GeminiBlob
{
    public required string MimeType { get; set; }
    public required string Data { get; set; }
}

internal sealed class GeminiFileData
{
    public string? MimeType { get; set; }
    public required string FileUri { get; set; }
}

internal sealed class GeminiFunctionCall
{
    /// <summary>Sent by some models; most send none, and Switchboard makes a stable one up.</summary>
    public string? Id { get; set; }
    public required string Name { get; set; }
    public JsonElement? Args { get; set; }
}

internal sealed class GeminiFunctionResponse
{
    public string? Id { get; set; }
    public required string Name { get; set; }
    public required GeminiToolOutput Response { get; set; }
}

/// <summary>The <c>response</c> object of a function response: Gemini expects an object, so results go under a key.</summary>
internal sealed class GeminiToolOutput
{
    public string? Output { get; set; }
    public string? Error { get; set; }
}

internal sealed class GeminiTool
{
    public required List<GeminiFunctionDeclaration> FunctionDeclarations { get; set; }
}

internal sealed class GeminiFunctionDeclaration
{
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>The OpenAPI subset older models take; see <see cref="GeminiSchema"/>.</summary>
    public JsonElement? Parameters { get; set; }

    /// <summary>Full JSON Schema, for models that accept it.</summary>
    public JsonElement? ParametersJsonSchema { get; set; }
}

internal sealed class GeminiToolConfig
{
    public required GeminiFunctionCallingConfig FunctionCallingConfig { get; set; }
}

internal sealed class GeminiFunctionCallingConfig
{
    /// <summary><c>AUTO</c>, <c>ANY</c> or <c>NONE</c>.</summary>
    public required string Mode { get; set; }
    public List<string>? AllowedFunctionNames { get; set; }
}

internal sealed class GeminiGenerationConfig
{
    public int? MaxOutputTokens { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public int? TopK { get; set; }
    public List<string>? StopSequences { get; set; }
    public GeminiThinkingConfig? ThinkingConfig { get; set; }
}

internal sealed class GeminiThinkingConfig
{
    public int? ThinkingBudget { get; set; }

    /// <summary>Gemini 3: <c>low</c> or <c>high</c>, in place of a budget.</summary>
    public string? ThinkingLevel { get; set; }
    public bool? IncludeThoughts { get; set; }
}

internal sealed class GeminiCountTokensRequest
{
    public required GeminiCountedRequest GenerateContentRequest { get; set; }
}

/// <summary>A generate request as countTokens wants it: with the model named inside.</summary>
internal sealed class GeminiCountedRequest
{
    public required string Model { get; set; }
    public required List<GeminiContent> Contents { get; set; }
    public GeminiContent? SystemInstruction { get; set; }
    public List<GeminiTool>? Tools { get; set; }
}

internal sealed class GeminiCountTokensResponse
{
    public int TotalTokens { get; set; }
}

internal sealed class GeminiResponse
{
    public List<GeminiCandidate>? Candidates { get; set; }
    public GeminiPromptFeedback? PromptFeedback { get; set; }
    public GeminiUsage? UsageMetadata { get; set; }
    public string? ModelVersion { get; set; }
    public string? ResponseId { get; set; }

    /// <summary>An error can arrive in place of a chunk mid-stream.</summary>
    public GeminiError? Error { get; set; }
}

internal sealed class GeminiCandidate
{
    public GeminiContent? Content { get; set; }
    public string? FinishReason { get; set; }
    public string? FinishMessage { get; set; }
}

internal sealed class GeminiPromptFeedback
{
    public string? BlockReason { get; set; }
    public string? BlockReasonMessage { get; set; }
}

internal sealed class GeminiUsage
{
    public int? PromptTokenCount { get; set; }
    public int? CandidatesTokenCount { get; set; }
    public int? CachedContentTokenCount { get; set; }
    public int? ThoughtsTokenCount { get; set; }
    public int? ToolUsePromptTokenCount { get; set; }
    public int? TotalTokenCount { get; set; }
}

internal sealed class GeminiModelList
{
    public List<GeminiModelInfo>? Models { get; set; }
}

internal sealed class GeminiModelInfo
{
    /// <summary><c>models/gemini-2.5-pro</c>.</summary>
    public required string Name { get; set; }
    public string? DisplayName { get; set; }
    public int? InputTokenLimit { get; set; }
    public int? OutputTokenLimit { get; set; }
    public List<string>? SupportedGenerationMethods { get; set; }
}

internal sealed class GeminiErrorBody
{
    public GeminiError? Error { get; set; }
}

internal sealed class GeminiError
{
    public int? Code { get; set; }
    public string? Message { get; set; }
    public string? Status { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GeminiRequest))]
[JsonSerializable(typeof(GeminiResponse))]
[JsonSerializable(typeof(GeminiCountTokensRequest))]
[JsonSerializable(typeof(GeminiCountTokensResponse))]
[JsonSerializable(typeof(GeminiErrorBody))]
[JsonSerializable(typeof(GeminiModelList))]
internal sealed partial class GeminiJson : JsonSerializerContext;
