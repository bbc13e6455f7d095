using System.Diagnostics;

namespace Switchboard.Tests.Infrastructure;

/// <summary>Waits for a condition by polling it, up to a deadline: for things that happen in another process.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Polls <paramref name="probe"/> until it returns a value <paramref name="done"/> accepts; returns that value.</summary>
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, Func<T, string> describe, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            if (clock.Elapsed > limit) throw new TimeoutException($"Waited {limit.TotalSeconds:0} s for {describe(value)}");
            await Task.Delay(PollInterval);
        }
    }

    public static Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        WaitAsync(() => Task.FromResult(condition()), done => done, _ => what, timeout);
}
