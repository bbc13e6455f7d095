using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchboard.Hosting;

/// <summary>
/// Gives memory back to the system once a burst of requests is over. Server GC (the Web SDK's default, with DATAS)
/// grows its heap to a burst's peak and keeps the pages committed afterwards, in case the burst comes back: after
/// 10,000 streams, 500 open ones and a 40 MB body the daemon sat at 210 MB with nothing to do (43 MB idle before).
/// A router on a developer's machine, beside an editor and a browser, should not hold that for a burst that may not
/// come. So once no request has been in flight for <see cref="QuietFor"/>, and at least <see cref="MinAllocated"/>
/// was allocated since the last trim, one blocking, compacting, aggressive gen-2 collection runs, which also
/// decommits the free regions; a minute later, if still idle, one follow-up (<see cref="FollowUpAfter"/>). Never while
/// a request is served, never twice for the same garbage; each costs tens of milliseconds of a core when nothing waits.
/// Not chosen: a GCHeapHardLimit fails requests at the limit instead of shrinking after them; Workstation GC or
/// GCConserveMemory alone left most of the burst's heap committed (bench/README.md, "Load and soak").
/// </summary>
internal sealed class IdleHeapTrim(TimeProvider time, ILogger logger, Func<long>? allocatedBytes = null)
{
    /// <summary>Bytes allocated since the process started (a counter of the test's own in its tests).</summary>
    private readonly Func<long> _allocated = allocatedBytes ?? (() => GC.GetTotalAllocatedBytes());

    /// <summary>How long nothing must be in flight: longer than the pause between two requests of one Claude Code turn.</summary>
    public static readonly TimeSpan QuietFor = TimeSpan.FromSeconds(3);

    /// <summary>Less than this allocated since the last trim leaves too little garbage to be worth a full collection.</summary>
    public const long MinAllocated = 32L * 1024 * 1024;

    /// <summary>
    /// When the follow-up trim runs. ArrayPool.Shared keeps what a burst gave back to it (System.Text.Json's buffers
    /// for one large request reach tens of MB) until a gen-2 collection finds them unused a minute after an earlier one
    /// did; so a minute after the first trim, if nothing was served since, one more lets the pool drop them.
    /// </summary>
    public static readonly TimeSpan FollowUpAfter = TimeSpan.FromSeconds(62);

    private int _inFlight;
    private long _lastActivity = time.GetTimestamp();
    private long _allocatedAtTrim = (allocatedBytes ?? (() => GC.GetTotalAllocatedBytes()))();
    private long? _trimmedAt;
    private long _activityAtTrim;

    /// <summary>Trims this many times so far (for tests and the log).</summary>
    public int Trims { get; private set; }

    /// <summary>
    /// <paramref name="handler"/>, counted as in flight while it runs. Only Messages requests are counted: the
    /// dashboard's live feed stays open for hours and would otherwise hold every trim off.
    /// </summary>
    public RequestDelegate Around(RequestDelegate handler) => async context =>
    {
        Begin();
        try
        {
            await handler(context);
        }
        finally
        {
            End();
        }
    };

    public void Begin()
    {
        Interlocked.Increment(ref _inFlight);
        Volatile.Write(ref _lastActivity, time.GetTimestamp());
    }

    public void End()
    {
        Volatile.Write(ref _lastActivity, time.GetTimestamp());
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>Whether a trim is due, given what has been allocated in all.</summary>
    public bool IsDue(long allocatedBytes)
    {
        var lastActivity = Volatile.Read(ref _lastActivity);
        if (Volatile.Read(ref _inFlight) > 0 || time.GetElapsedTime(lastActivity) < QuietFor) return false;
        if (allocatedBytes - _allocatedAtTrim >= MinAllocated) return true;
        return _trimmedAt is { } trimmedAt && lastActivity == _activityAtTrim && time.GetElapsedTime(trimmedAt) >= FollowUpAfter;
    }

    /// <summary>Trims if due; returns whether it did.</summary>
    public bool TrimIfDue()
    {
        var allocated = _allocated();
        if (!IsDue(allocated)) return false;
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // ArrayPool.Shared trims itself in a gen-2 callback, run on the finalizer thread after the collection: let it
        // run, then collect what it let go (or it would wait, unreachable but committed, for a collection that an idle
        // daemon never has).
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // A trim after a burst schedules the follow-up; the follow-up schedules nothing.
        _trimmedAt = allocated - _allocatedAtTrim >= MinAllocated ? time.GetTimestamp() : null;
        _activityAtTrim = Volatile.Read(ref _lastActivity);
        _allocatedAtTrim = _allocated();
        Trims++;
        using var self = Process.GetCurrentProcess();
        var after = GC.GetGCMemoryInfo();
        Log.HeapTrimmed(logger, before / 1024 / 1024, after.TotalCommittedBytes / 1024 / 1024, after.HeapSizeBytes / 1024 / 1024,
            self.WorkingSet64 / 1024 / 1024, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return true;
    }

    /// <summary>Checks once a second until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false)) TrimIfDue();
        }
        catch (OperationCanceledException)
        {
        }
    }
}
