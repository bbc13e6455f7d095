using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary>Source-generated serialization for the whole protocol: no reflection, safe under Native AOT.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(MessagesRequest))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(StreamEvent))]
[JsonSerializable(typeof(List<ContentBlock>))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(TokenCount))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(UpstreamModelList))]
public sealed partial class AnthropicJson : JsonSerializerContext
{
    /// <summary>
    /// For writing: JSON escaping as the HTML-safe default does it would turn every quote and non-ASCII character
    /// into <c>\uXXXX</c>. Responses go to API clients, not into web pages, so write them as they are.
    /// </summary>
    /// Built on first use: the generated <c>Default</c> must exist first, and static initializers across partial
    /// files run in no guaranteed order.
    public static AnthropicJson Relaxed => s_relaxed ??= new(new JsonSerializerOptions(Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private static AnthropicJson? s_relaxed;
}
