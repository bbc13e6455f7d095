using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Switchboard.Providers.OpenAI;

/// <summary>Source-generated (de)serialization of the chat-completions wire types: no reflection, safe under Native AOT.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatChunk))]
[JsonSerializable(typeof(List<ChatPart>))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class OpenAIJson : JsonSerializerContext;
