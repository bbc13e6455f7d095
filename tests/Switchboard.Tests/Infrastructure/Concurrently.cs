namespace Switchboard.Tests.Infrastructure;

/// <summary>Load as a client pool makes it: so many calls, at most so many at a time (the load tests and the soak).</summary>
public static class Concurrently
{
    /// <summary>Runs <paramref name="one"/> for 0 … <paramref name="count"/> − 1, <paramref name="concurrency"/> at a time.</summary>
    public static Task RunAsync(int count, int concurrency, Func<int, Task> one)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await one(i);
        }));
    }
}
