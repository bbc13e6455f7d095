using Switchboard.Anthropic;

namespace Switchboard.Providers;

/// <summary>What a provider answers with. The host writes each kind to the client.</summary>
public abstract class ProviderReply : IDisposable
{
    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>The internal currency: a stream of Anthropic events, turned into SSE or a complete message.</summary>
public sealed class EventStreamReply(IAsyncEnumerable<StreamEvent> events) : ProviderReply
{
    public IAsyncEnumerable<StreamEvent> Events { get; } = events;

    /// <summary>
    /// The one way a translating provider reads what it was answered: a refusal becomes the error
    /// <paramref name="refused"/> reads from it (null when the caller has already turned refusals away); an acceptance
    /// becomes the events <paramref name="map"/> reads from its guarded body (<see cref="UpstreamBody"/>, timing
    /// silences of <paramref name="idleTimeout"/>). Should that fail, the response is disposed here; once the events
    /// are handed on, it is disposed when they end, however they end (finished, failed, or the client went away).
    /// </summary>
    public static async Task<EventStreamReply> TranslateAsync(
        HttpResponseMessage response, string provider, TimeSpan idleTimeout, UpstreamFraming framing,
        Func<Stream, CancellationToken, IAsyncEnumerable<StreamEvent>> map,
        Func<HttpResponseMessage, Task<AnthropicErrorException>>? refused, CancellationToken cancellationToken)
    {
        try
        {
            if (!response.IsSuccessStatusCode && refused is not null) throw await refused(response).ConfigureAwait(false);
            var body = await UpstreamBody.OpenAsync(response, provider, idleTimeout, framing, cancellationToken).ConfigureAwait(false);
            return new EventStreamReply(Owning(response, body, map, cancellationToken));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async IAsyncEnumerable<StreamEvent> Owning(
        HttpResponseMessage response, Stream body, Func<Stream, CancellationToken, IAsyncEnumerable<StreamEvent>> map,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (response)
        await using (body)
        {
            await foreach (var e in map(body, cancellationToken).ConfigureAwait(false)) yield return e;
        }
    }
}

/// <summary>An upstream response relayed as it is: status, headers and body bytes, streamed.</summary>
public sealed class UpstreamHttpReply(HttpResponseMessage response, UpstreamBody body) : ProviderReply
{
    public HttpResponseMessage Response { get; } = response;

    /// <summary>The response body, failing a read (as an Anthropic error) when the upstream breaks off or goes silent.</summary>
    public UpstreamBody Body { get; } = body;

    /// <summary>The provider that answered, for the messages that describe what it answered.</summary>
    public string Provider => Body.Provider;

    public bool IsEventStream => Response.Content.Headers.ContentType?.MediaType == "text/event-stream";

    public override void Dispose()
    {
        Body.Dispose();
        Response.Dispose();
        base.Dispose();
    }
}

/// <summary>A token count computed by Switchboard itself.</summary>
public sealed class TokenCountReply(int inputTokens) : ProviderReply
{
    public int InputTokens { get; } = inputTokens;

    /// <summary>For upstreams that cannot count: counted here, with a real tokenizer.</summary>
    public static Task<ProviderReply> CountedLocally(ProviderCall call) =>
        Task.FromResult<ProviderReply>(new TokenCountReply(Routing.TokenCounter.Count(call.Request)));
}
