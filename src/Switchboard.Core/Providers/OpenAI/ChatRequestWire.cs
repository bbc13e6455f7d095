using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Switchboard.Providers.OpenAI;

// The request half of OpenAI's chat-completions API (POST /chat/completions), with the extensions other servers take:
// top_k (vLLM, llama.cpp, OpenRouter…), OpenRouter's reasoning object, chat_template_kwargs (vLLM, NIM, llama.cpp).

internal sealed class ChatRequest
{
    public required string Model { get; set; }
    public required List<ChatMessage> Messages { get; set; }
    public List<ChatTool>? Tools { get; set; }

    /// <summary><c>"auto"</c>, <c>"required"</c>, <c>"none"</c> or <c>{"type":"function","function":{"name":…}}</c>.</summary>
    public JsonNode? ToolChoice { get; set; }
    public bool? ParallelToolCalls { get; set; }
    public int? MaxTokens { get; set; }
    public int? MaxCompletionTokens { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public int? TopK { get; set; }
    public List<string>? Stop { get; set; }
    public string? User { get; set; }
    public bool Stream { get; set; }
    public ChatStreamOptions? StreamOptions { get; set; }
    public string? ReasoningEffort { get; set; }
    public OpenRouterReasoning? Reasoning { get; set; }
    public Dictionary<string, bool>? ChatTemplateKwargs { get; set; }
}

internal sealed class ChatMessage
{
    public required string Role { get; set; }

    /// <summary>Always written: an assistant turn that only calls tools carries <c>"content": null</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ChatContent? Content { get; set; }

    /// <summary>DeepSeek and others want the reasoning back on assistant turns that called tools.</summary>
    public string? ReasoningContent { get; set; }
    public List<ChatToolCall>? ToolCalls { get; set; }
    public string? ToolCallId { get; set; }
}

/// <summary>A message's content: a plain string, or a list of parts when it holds images or cache marks.</summary>
[JsonConverter(typeof(ChatContentConverter))]
internal sealed class ChatContent
{
    public string? Text { get; init; }
    public List<ChatPart>? Parts { get; init; }

    public static ChatContent FromText(string text) => new() { Text = text };
    public static ChatContent FromParts(List<ChatPart> parts) => new() { Parts = parts };
}

internal sealed class ChatPart
{
    public required string Type { get; set; }
    public string? Text { get; set; }
    public ChatImageUrl? ImageUrl { get; set; }
    public JsonElement? CacheControl { get; set; }

    public static ChatPart ForText(string text, JsonElement? cacheControl = null) =>
        new() { Type = "text", Text = text, CacheControl = cacheControl };

    public static ChatPart ForImage(string url) => new() { Type = "image_url", ImageUrl = new ChatImageUrl { Url = url } };
}

internal sealed class ChatImageUrl
{
    public required string Url { get; set; }
}

internal sealed class ChatToolCall
{
    public required string Id { get; set; }
    public string Type { get; set; } = "function";
    public required ChatFunctionCall Function { get; set; }
}

internal sealed class ChatFunctionCall
{
    public required string Name { get; set; }

    /// <summary>A JSON text, not an object.</summary>
    public required string Arguments { get; set; }
}

internal sealed class ChatTool
{
    public string Type { get; set; } = "function";
    public required ChatFunction Function { get; set; }
}

internal sealed class ChatFunction
{
    public required string Name { get; set; }
    public string? Description { get; set; }
    public JsonNode? Parameters { get; set; }
}

internal sealed class ChatStreamOptions
{
    public bool IncludeUsage { get; set; }
}

/// <summary>OpenRouter's unified reasoning control: an effort or a token budget.</summary>
internal sealed class OpenRouterReasoning
{
    public string? Effort { get; set; }
    public int? MaxTokens { get; set; }
}

internal sealed class ChatContentConverter : JsonConverter<ChatContent>
{
    public override ChatContent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => ChatContent.FromText(reader.GetString()!),
            JsonTokenType.StartArray => ChatContent.FromParts(JsonSerializer.Deserialize(ref reader, OpenAIJson.Default.ListChatPart) ?? []),
            _ => SkipToNull(ref reader),
        };

    public override void Write(Utf8JsonWriter writer, ChatContent value, JsonSerializerOptions options)
    {
        if (value.Parts is not null) JsonSerializer.Serialize(writer, value.Parts, OpenAIJson.Default.ListChatPart);
        else writer.WriteStringValue(value.Text ?? "");
    }

    private static ChatContent? SkipToNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }
}
