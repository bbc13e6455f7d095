using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// The reply body → chunks. Streamed: SSE framing is the BCL's <see cref="SseParser"/>, which also skips comment
/// lines and keep-alives (OpenRouter's <c>: OPENROUTER PROCESSING</c>); <c>[DONE]</c> ends the stream. Not streamed:
/// the one <c>chat.completion</c> object, seen as a single chunk whose message is its delta.
/// </summary>
internal static class OpenAIChunkReader
{
    private static ReadOnlySpan<byte> DoneMarker => "[DONE]"u8;

    public static async IAsyncEnumerable<ChatChunk> ReadStreamAsync(
        Stream body, string provider, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parser = SseParser.Create(body, (_, data) => Parse(data, provider));
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is not { } chunk) continue;
            yield return chunk;
            if (chunk.IsDone) yield break;
        }
    }

    public static async IAsyncEnumerable<ChatChunk> ReadCompletionAsync(
        Stream body, string provider, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ChatChunk? completion;
        try
        {
            completion = await JsonSerializer.DeserializeAsync(body, OpenAIJson.Default.ChatChunk, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw NotJson(provider, ex);
        }
        if (completion is null) throw NotJson(provider, null);
        foreach (var choice in completion.Choices ?? [])
        {
            choice.Delta ??= choice.Message;
            var calls = choice.Delta?.ToolCalls ?? [];
            for (var i = 0; i < calls.Count; i++) calls[i].Index ??= i;
        }
        yield return completion;
        yield return ChatChunk.Done;
    }

    private static ChatChunk? Parse(ReadOnlySpan<byte> data, string provider)
    {
        var trimmed = data.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty) return null;
        if (trimmed.SequenceEqual(DoneMarker)) return ChatChunk.Done;
        try
        {
            return JsonSerializer.Deserialize(trimmed, OpenAIJson.Default.ChatChunk);
        }
        catch (JsonException ex)
        {
            throw NotJson(provider, ex);
        }
    }

    private static AnthropicErrorException NotJson(string provider, JsonException? ex) =>
        ex is null ? UpstreamFault.Broken(provider, "sent null instead of a chat completion") : UpstreamFault.From(ex, provider);
}
