using System.Runtime.CompilerServices;

namespace Switchboard.Anthropic;

/// <summary>
/// Keeps a stream alive while the upstream is silent: whenever no event arrives for <c>interval</c>, a
/// <c>ping</c> event is yielded, as Anthropic does, so clients with read timeouts do not give up on a slow model.
/// </summary>
internal static class Heartbeat
{
    public static async IAsyncEnumerable<StreamEvent> WithPings(
        this IAsyncEnumerable<StreamEvent> events,
        TimeSpan interval,
        TimeProvider time,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var moveNext = enumerator.MoveNextAsync();
            if (!moveNext.IsCompleted)
            {
                var pending = moveNext.AsTask();
                while (true)
                {
                    using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var silence = Task.Delay(interval, time, delayCancel.Token);
                    if (await Task.WhenAny(pending, silence).ConfigureAwait(false) == pending)
                    {
                        delayCancel.Cancel();
                        break;
                    }
                    cancellationToken.ThrowIfCancellationRequested();
                    yield return StreamEvent.Ping();
                }
                moveNext = new ValueTask<bool>(pending);
            }

            if (!await moveNext.ConfigureAwait(false)) yield break;
            yield return enumerator.Current;
        }
    }
}
