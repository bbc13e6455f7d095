using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Providers.Ollama;

// Ollama's native API (docs/api.md): POST /api/chat, GET /api/tags, POST /api/show, GET /api/version.

internal sealed class OllamaChatRequest
{
    public required string Model { get; set; }
    public required List<OllamaMessage> Messages { get; set; }
    public List<OllamaTool>? Tools { get; set; }
    public bool Stream { get; set; }
    public bool? Think { get; set; }
    public OllamaOptions? Options { get; set; }
}

internal sealed class OllamaMessage
{
    public required string Role { get; set; }
    public string Content { get; set; } = "";
    public string? Thinking { get; set; }
    public List<string>? Images { get; set; }
    public List<OllamaToolCall>? ToolCalls { get; set; }

    /// <summary>On <c>role: "tool"</c> messages: which function produced this result.</summary>
    public string? ToolName { get; set; }
}

internal sealed class OllamaToolCall
{
    /// <summary>Sent by newer Ollama versions; older ones send none and Switchboard makes one up.</summary>
    public string? Id { get; set; }
    public required OllamaFunctionCall Function { get; set; }
}

internal sealed class OllamaFunctionCall
{
    public int? Index { get; set; }
    public required string Name { get; set; }

    /// <summary>An object per the docs; some models send a JSON string instead, which tool-call healing repairs.</summary>
    public JsonElement Arguments { get; set; }
}

internal sealed class OllamaTool
{
    public string Type { get; set; } = "function";
    public required OllamaFunction Function { get; set; }
}

internal sealed class OllamaFunction
{
    public required string Name { get; set; }
    public string? Description { get; set; }
    public JsonElement? Parameters { get; set; }
}

internal sealed class OllamaOptions
{
    public int? NumCtx { get; set; }
    public int? NumPredict { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public int? TopK { get; set; }
    public List<string>? Stop { get; set; }
}

/// <summary>One NDJSON line of a streamed reply, or the whole non-streamed reply.</summary>
internal sealed class OllamaChatChunk
{
    public string? Model { get; set; }
    public OllamaMessage? Message { get; set; }
    public bool Done { get; set; }
    public string? DoneReason { get; set; }
    public int? PromptEvalCount { get; set; }
    public int? EvalCount { get; set; }
    public string? Error { get; set; }
}

internal sealed class OllamaTags
{
    public List<OllamaTagModel> Models { get; set; } = [];
}

internal sealed class OllamaTagModel
{
    public string Name { get; set; } = "";
    public string? Model { get; set; }
}

internal sealed class OllamaShowRequest
{
    public required string Model { get; set; }
}

internal sealed class OllamaShowResponse
{
    public List<string>? Capabilities { get; set; }
    public Dictionary<string, JsonElement>? ModelInfo { get; set; }
}

internal sealed class OllamaErrorBody
{
    public string? Error { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OllamaChatRequest))]
[JsonSerializable(typeof(OllamaChatChunk))]
[JsonSerializable(typeof(OllamaTags))]
[JsonSerializable(typeof(OllamaShowRequest))]
[JsonSerializable(typeof(OllamaShowResponse))]
[JsonSerializable(typeof(OllamaErrorBody))]
internal sealed partial class OllamaJson : JsonSerializerContext;
