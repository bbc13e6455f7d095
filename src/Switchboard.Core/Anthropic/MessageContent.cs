using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Anthropic;

/// <summary>
/// A <c>content</c> or <c>system</c> value: Anthropic accepts a plain string or a list of blocks. A server tool's
/// result may carry an object (an error) instead; that shape is kept as <see cref="Raw"/> so nothing is lost.
/// </summary>
[JsonConverter(typeof(MessageContentConverter))]
public sealed class MessageContent
{
    public string? Text { get; init; }
    public List<ContentBlock>? Blocks { get; init; }
    public JsonElement? Raw { get; init; }

    public static MessageContent FromText(string text) => new() { Text = text };
    public static MessageContent FromBlocks(List<ContentBlock> blocks) => new() { Blocks = blocks };

    /// <summary>The blocks, with a plain string seen as one text block.</summary>
    public IEnumerable<ContentBlock> AsBlocks()
    {
        if (Blocks is not null) return Blocks;
        if (Text is not null) return [new ContentBlock { Type = ContentBlockTypes.Text, Text = Text }];
        return [];
    }
}

internal sealed class MessageContentConverter : JsonConverter<MessageContent>
{
    public override MessageContent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new MessageContent { Text = reader.GetString() },
            JsonTokenType.StartArray => new MessageContent { Blocks = ReadBlocks(ref reader) },
            JsonTokenType.Null => null,
            _ => new MessageContent { Raw = JsonElement.ParseValue(ref reader) },
        };

    /// <summary>
    /// A nested deserialization starts its own path at <c>$</c>, and the serializer leaves a failure that already
    /// has a path alone: the error would say <c>$[1]</c> where the client needs <c>messages.0.content.1</c>. The failure
    /// is thrown again without a path, so the serializer puts this property's path on it, and the nested part rides
    /// along in <see cref="JsonFailure.InnerPathKey"/>.
    /// </summary>
    private static List<ContentBlock>? ReadBlocks(ref Utf8JsonReader reader)
    {
        try
        {
            return JsonSerializer.Deserialize(ref reader, AnthropicJson.Default.ListContentBlock);
        }
        catch (JsonException ex) when (ex.Path is not null)
        {
            throw JsonFailure.Nested(ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options)
    {
        if (value.Text is not null) writer.WriteStringValue(value.Text);
        else if (value.Blocks is not null) JsonSerializer.Serialize(writer, value.Blocks, AnthropicJson.Default.ListContentBlock);
        else if (value.Raw is { } raw) raw.WriteTo(writer);
        else writer.WriteNullValue();
    }
}
