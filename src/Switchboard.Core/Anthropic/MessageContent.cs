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
            JsonTokenType.StartArray => new MessageContent
            {
                Blocks = JsonSerializer.Deserialize(ref reader, AnthropicJson.Default.ListContentBlock),
            },
            JsonTokenType.Null => null,
            _ => new MessageContent { Raw = JsonElement.ParseValue(ref reader) },
        };

    public override void Write(Utf8JsonWriter writer, MessageContent value, JsonSerializerOptions options)
    {
        if (value.Text is not null) writer.WriteStringValue(value.Text);
        else if (value.Blocks is not null) JsonSerializer.Serialize(writer, value.Blocks, AnthropicJson.Default.ListContentBlock);
        else if (value.Raw is { } raw) raw.WriteTo(writer);
        else writer.WriteNullValue();
    }
}
