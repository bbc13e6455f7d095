using Microsoft.Extensions.Time.Testing;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// Drives a server's fake clock (<see cref="Hosting.ServerOptions.Time"/>) past its timeouts without waiting for them.
/// A timer is only armed once the server gets to it (a request sent, a read begun, a backoff started), so the clock is
/// moved a step at a time, with a moment between steps for the server to arm the next, until what the test awaits has
/// happened. The real time allowed is far below any step, so a timeout that ran on the wall clock could not fire.
/// </summary>
public static class FakeTimeDriving
{
    private const int MaxSteps = 200;
    private static readonly TimeSpan Moment = TimeSpan.FromMilliseconds(25);

    public static async Task<T> AdvanceUntilAsync<T>(this FakeTimeProvider time, Task<T> pending, TimeSpan step)
    {
        for (var steps = 0; steps < MaxSteps && !pending.IsCompleted; steps++)
        {
            time.Advance(step);
            await Task.WhenAny(pending, Task.Delay(Moment));
        }
        return pending.IsCompleted
            ? await pending
            : throw new TimeoutException($"still pending after the clock moved {MaxSteps} steps of {step}");
    }
}
