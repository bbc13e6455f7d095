using Switchboard.Anthropic;
using Switchboard.Providers;

namespace Switchboard.Forwarding;

/// <summary>
/// Waits for an event stream's first event before the reply is handed on. Nothing reaches the client before it (the
/// reply writer holds the status for it anyway), so a failure there (an error chunk first, a stream that ends empty)
/// is still the target's failure: retried, or sent to the next target, like an HTTP error status.
/// </summary>
internal static class FirstEvent
{
    public static async Task<ProviderReply> AwaitAsync(ProviderReply reply, CancellationToken cancellationToken)
    {
        if (reply is not EventStreamReply events) return reply;
        var enumerator = events.Events.GetAsyncEnumerator(cancellationToken);
        try
        {
            if (!await enumerator.MoveNextAsync())
                throw new AnthropicErrorException(AnthropicError.Api("The upstream ended the stream before sending anything.", 502));
        }
        catch
        {
            await enumerator.DisposeAsync();
            throw;
        }
        return new EventStreamReply(Resume(enumerator));
    }

    /// <summary>The first event again, then the rest; the enumerator (and the upstream response it owns) is disposed at the end.</summary>
    private static async IAsyncEnumerable<StreamEvent> Resume(IAsyncEnumerator<StreamEvent> started)
    {
        await using (started)
        {
            yield return started.Current;
            while (await started.MoveNextAsync()) yield return started.Current;
        }
    }
}
