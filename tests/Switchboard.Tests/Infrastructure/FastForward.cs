using Microsoft.Extensions.Time.Testing;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// The server's own waits (backoff between retries, an upstream's <c>retry-after</c>) at no real cost: the server runs
/// on a <see cref="FakeTimeProvider"/> and the test moves that clock on while its request is in flight. The pace of the
/// moving changes only how long the test takes, never what it sees: every wait still ends, in order.
/// </summary>
public static class FastForward
{
    /// <summary>Small beside any timeout a test server has (minutes), large beside any backoff it waits.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(1);

    /// <summary>Awaits <paramref name="pending"/>, advancing <paramref name="clock"/> a step at a time until it completes.</summary>
    public static async Task<T> AdvanceUntilDoneAsync<T>(this FakeTimeProvider clock, Task<T> pending)
    {
        while (!pending.IsCompleted)
        {
            clock.Advance(Step);
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(10)));
        }
        return await pending;
    }
}
