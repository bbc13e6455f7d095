using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Ledger;

/// <summary>
/// The token counts and error of one reply, read as the reply passes by: from <c>message_start</c> and
/// <c>message_delta</c> events, from the SSE bytes of a relayed stream, or from a relayed JSON body. Never holds the
/// reply back; a usage it cannot read leaves the counts at zero.
/// </summary>
public sealed class ReplyUsage
{
    private readonly Usage _usage = new();

    public long InputTokens => _usage.InputTokens ?? 0;
    public long OutputTokens => _usage.OutputTokens ?? 0;
    public long CacheReadTokens => _usage.CacheReadInputTokens ?? 0;
    public long CacheWriteTokens => _usage.CacheCreationInputTokens ?? 0;

    /// <summary>The error type the reply carried (an <c>error</c> event, an error body, or a stream that broke off).</summary>
    public string? Error { get; set; }

    public void Observe(StreamEvent streamEvent)
    {
        switch (streamEvent.Type)
        {
            case StreamEventTypes.MessageStart when streamEvent.Message?.Usage is { } usage:
                _usage.MergeFrom(usage);
                break;
            case StreamEventTypes.MessageDelta when streamEvent.Usage is { } usage:
                _usage.MergeFrom(usage);
                break;
            case StreamEventTypes.Error:
                Error = streamEvent.Error?.Type ?? ErrorTypes.Api;
                break;
        }
    }

    /// <summary>Passes <paramref name="events"/> on unchanged, reading usage from them and noting a failure.</summary>
    public async IAsyncEnumerable<StreamEvent> Watch(
        IAsyncEnumerable<StreamEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false)) yield break;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Error = ex is AnthropicErrorException known ? known.Error.Type : ErrorTypes.Api;
                throw;
            }
            Observe(enumerator.Current);
            yield return enumerator.Current;
        }
    }

    /// <summary>A stream that reads <paramref name="body"/> and, as bytes go by, the usage in it.</summary>
    public Stream Watch(Stream body, bool eventStream) => new UsageReadingStream(body, this, eventStream);

    /// <summary>One SSE <c>data:</c> payload of a relayed stream; only the ones that can carry usage are parsed.</summary>
    internal void ObserveSseData(ReadOnlySpan<byte> data)
    {
        if (data.IndexOf("\"usage\""u8) < 0 && data.IndexOf("\"error\""u8) < 0) return;
        try
        {
            if (JsonSerializer.Deserialize(data, AnthropicJson.Default.StreamEvent) is { } streamEvent) Observe(streamEvent);
        }
        catch (JsonException)
        {
            // Not ours to judge: the client gets the bytes as they are.
        }
    }

    /// <summary>A relayed JSON body: a message (with <c>usage</c>) or an error.</summary>
    public void ObserveJsonBody(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return;
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                _usage.InputTokens = Count(usage, "input_tokens") ?? _usage.InputTokens;
                _usage.OutputTokens = Count(usage, "output_tokens") ?? _usage.OutputTokens;
                _usage.CacheReadInputTokens = Count(usage, "cache_read_input_tokens") ?? _usage.CacheReadInputTokens;
                _usage.CacheCreationInputTokens = Count(usage, "cache_creation_input_tokens") ?? _usage.CacheCreationInputTokens;
            }
            if (root.TryGetProperty("type", out var type) && type.ValueEquals("error"))
                Error = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                        error.TryGetProperty("type", out var errorType) && errorType.ValueKind == JsonValueKind.String
                    ? errorType.GetString()
                    : ErrorTypes.Api;
        }
        catch (JsonException)
        {
        }
    }

    private static int? Count(JsonElement usage, string name) =>
        usage.TryGetProperty(name, out var value) && value.TryGetInt32(out var count) ? count : null;
}
