using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Amazon.Runtime.EventStreams;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Reads AWS's binary <c>application/vnd.amazon.eventstream</c> framing off a response body, one message at a time as
/// it arrives. Each message starts with its total length; decoding, header parsing and both CRC checks are
/// AWSSDK.Core's <see cref="EventStreamMessage"/>.
/// </summary>
internal static class BedrockEventStream
{
    public const string MessageType = ":message-type";
    public const string EventType = ":event-type";
    public const string ExceptionType = ":exception-type";

    /// <summary>AWS caps a message at 16 MB; anything larger is a broken stream, not a message.</summary>
    private const int MaxMessageBytes = 16 * 1024 * 1024;
    private const int MinMessageBytes = 16;

    public static async IAsyncEnumerable<EventStreamMessage> ReadAsync(Stream body, string provider, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await ReadMessageAsync(body, provider, cancellationToken).ConfigureAwait(false) is { } message)
            yield return Decode(message, provider);
    }

    /// <summary>The next whole message's bytes, or null where the stream ends cleanly between messages.</summary>
    private static async Task<byte[]?> ReadMessageAsync(Stream body, string provider, CancellationToken cancellationToken)
    {
        var prelude = new byte[4];
        var read = await body.ReadAtLeastAsync(prelude, prelude.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0) return null;
        if (read < prelude.Length) throw Broken(provider, "the stream ended inside a message");
        var length = BinaryPrimitives.ReadInt32BigEndian(prelude);
        if (length is < MinMessageBytes or > MaxMessageBytes) throw Broken(provider, $"a message claims {length} bytes");
        var message = new byte[length];
        prelude.CopyTo(message, 0);
        try
        {
            await body.ReadExactlyAsync(message.AsMemory(prelude.Length), cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            throw Broken(provider, "the stream ended inside a message");
        }
        return message;
    }

    private static EventStreamMessage Decode(byte[] message, string provider)
    {
        try
        {
            return EventStreamMessage.FromBuffer(message, 0, message.Length);
        }
        catch (Exception ex) when (ex is EventStreamChecksumFailureException or EventStreamParseException)
        {
            throw Broken(provider, ex.Message);
        }
    }

    public static string? Header(this IEventStreamMessage message, string name) =>
        message.Headers.TryGetValue(name, out var header) ? header.AsString() : null;

    private static AnthropicErrorException Broken(string provider, string why) =>
        new(AnthropicError.Api($"Bedrock ({provider}) sent a broken event stream: {why}.", 502));
}
