using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Switchboard.Config;

namespace Switchboard.Ledger;

/// <summary>
/// Writes records to the ledger off the request path. <see cref="Record"/> only queues; one background loop appends
/// what has queued up in one transaction per batch and deletes what is past retention once an hour. The bound
/// (<c>ledger.queueSize</c>) counts what waits and the batch being sent, so it is exactly what an outage of the store
/// can hold: past it the newest record is dropped (the ones queued earlier keep their place, so what is written stays
/// in order with the loss at the end), counted in <see cref="Dropped"/> and logged (the first loss at once, then at
/// most every <see cref="LossLogInterval"/>). Each record gets its id as it is queued; with a <see cref="LedgerRetry"/>
/// a refused batch is kept and sent again with the same ids (the team ledger counts it once), without one it is
/// counted in <see cref="Failed"/>. With a <see cref="LedgerSpool"/> (team mode) each queued record is also on disk
/// until it is stored, and what an earlier run left there is sent first.
/// </summary>
public sealed partial class LedgerWriter : IUsageRecorder, IAsyncDisposable
{
    public const int DefaultCapacity = 10_000;
    public static readonly TimeSpan LossLogInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);
    private const int MaxBatch = 500;

    private readonly ILedgerStore _store;
    private readonly Func<LedgerConfig> _config;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<QueuedRecord> _queue;
    private readonly int _capacity;
    private readonly LedgerRetry? _retry;
    private readonly LedgerSpool? _spool;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _abandoned;
    private long _pending;
    private long _dropped;
    private long _spoolFailures;
    private long _droppedLogged;
    private long _lastLossLog = long.MinValue;
    private long _written;
    private long _failed;
    private long _retries;
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    public LedgerWriter(ILedgerStore store, Func<LedgerConfig> config, ILogger logger, TimeProvider? time = null,
        int capacity = DefaultCapacity, LedgerRetry? retry = null, LedgerSpool? spool = null)
    {
        _retry = retry;
        _spool = spool;
        _capacity = capacity;
        _store = store;
        _config = config;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        // Unbounded as a channel: the bound is _pending, which also counts the batch being sent.
        _queue = Channel.CreateUnbounded<QueuedRecord>(); // not SingleReader: that one cannot count what it holds
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Records lost because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records stored.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Records the store refused (a full disk, a broken file); each failure is logged.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Attempts the store refused for a passing reason, each followed by another (with a <see cref="LedgerRetry"/>).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public int Queued => _queue.Reader.Count;

    /// <summary>Records the spool could not take (a full disk): still queued, but lost if the replica is killed.</summary>
    public long SpoolFailures => Interlocked.Read(ref _spoolFailures);

    public void Record(RequestRecord record)
    {
        if (!_config().Enabled) return;
        if (Interlocked.Increment(ref _pending) > _capacity)
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _dropped);
            ReportLoss(force: false);
            return;
        }
        var queued = new QueuedRecord(record, Guid.CreateVersion7(record.Time), -1);
        if (_spool is null)
        {
            _queue.Writer.TryWrite(queued);
            return;
        }
        lock (_spool.Gate)
        {
            try
            {
                queued = queued with { Sequence = _spool.Append(queued.Id, record) };
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The request was served; it stays queued in memory, and the first such failure says so.
                if (Interlocked.Increment(ref _spoolFailures) == 1) LogSpoolFailed(_logger, ex);
            }
            _queue.Writer.TryWrite(queued);
        }
    }

    /// <summary>A record waiting to be written: the id it is stored under, and its place in the spool (-1: not spooled).</summary>
    private readonly record struct QueuedRecord(RequestRecord Record, Guid Id, long Sequence);

    /// <summary>Logs losses not yet logged: at once the first time, then at most once per interval (always when forced).</summary>
    private void ReportLoss(bool force)
    {
        if (Interlocked.Read(ref _droppedLogged) == Dropped) return;
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLossLog);
        if (!force && last != long.MinValue && _time.GetElapsedTime(last, now) < LossLogInterval) return;
        if (Interlocked.CompareExchange(ref _lastLossLog, now, last) != last && !force) return;
        var total = Dropped;
        var lost = total - Interlocked.Exchange(ref _droppedLogged, total);
        if (lost > 0) LogDropped(_logger, lost, total, _queue.Reader.Count);
    }

    private async Task RunAsync()
    {
        var batch = new List<RequestRecord>(MaxBatch);
        var ids = new List<Guid>(MaxBatch);
        try
        {
            await PruneAsync().ConfigureAwait(false);
            if (_spool is { LeftOver.Count: > 0 }) await ReplayAsync(_spool, batch, ids).ConfigureAwait(false);
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                var last = -1L;
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var queued))
                {
                    batch.Add(queued.Record);
                    ids.Add(queued.Id);
                    if (queued.Sequence >= 0) last = queued.Sequence;
                }
                await WriteAsync(batch, ids).ConfigureAwait(false);
                Interlocked.Add(ref _pending, -batch.Count);
                if (last >= 0) ForgetSpooled(last);
                batch.Clear();
                ids.Clear();
                ReportLoss(force: false);
                if (_time.GetUtcNow() >= _nextPrune) await PruneAsync().ConfigureAwait(false);
            }
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            // Stopped past its deadline: what the batch and the queue still hold is given up (and logged by StopAsync).
            _abandoned = batch.Count + _queue.Reader.Count;
        }
    }

    /// <summary>Sends what an earlier run spooled and did not store, with its ids, before anything of this run.</summary>
    private async Task ReplayAsync(LedgerSpool spool, List<RequestRecord> batch, List<Guid> ids)
    {
        LogReplaying(_logger, spool.Replay.Count, spool.Unreadable);
        foreach (var chunk in spool.Replay.Chunk(MaxBatch))
        {
            foreach (var spooled in chunk)
            {
                batch.Add(spooled.Record);
                ids.Add(spooled.Id);
            }
            await WriteAsync(batch, ids).ConfigureAwait(false);
            batch.Clear();
            ids.Clear();
        }
        try
        {
            spool.ReplayStored();
        }
        catch (IOException ex)
        {
            LogSpoolFailed(_logger, ex);
        }
    }

    private void ForgetSpooled(long sequence)
    {
        try
        {
            _spool!.Stored(sequence);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left on disk, the records are sent again at the next start and counted once (same ids).
            LogSpoolFailed(_logger, ex);
        }
    }

    /// <summary>Appends one batch; with a retry policy, sends it again (same ids) until it is written or the writer stops.</summary>
    private async Task WriteAsync(List<RequestRecord> batch, List<Guid> ids)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.AppendAsync(batch, ids, _stopping.Token).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Count);
                if (attempt > 1) LogRecovered(_logger, batch.Count, attempt);
                return;
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                if (_retry is not { } retry || !retry.IsTransient(ex))
                {
                    Interlocked.Add(ref _failed, batch.Count);
                    LogWriteFailed(_logger, ex, batch.Count);
                    return;
                }
                Interlocked.Increment(ref _retries);
                // One line per outage: the same batch is retried until it goes through, and that says so too.
                if (attempt == 1) LogRetrying(_logger, ex, batch.Count, _queue.Reader.Count);
                await Task.Delay(retry.DelayBefore(attempt), _time, _stopping.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task PruneAsync()
    {
        var now = _time.GetUtcNow();
        _nextPrune = now + PruneInterval;
        try
        {
            var deleted = await _store.DeleteBeforeAsync(now.AddDays(-_config().RetentionDays), _stopping.Token).ConfigureAwait(false);
            if (deleted > 0) LogPruned(_logger, deleted, _config().RetentionDays);
        }
        catch (Exception ex) when (!_stopping.IsCancellationRequested)
        {
            LogPruneFailed(_logger, ex);
        }
    }

    /// <summary>Writes what is queued (waiting at most <paramref name="timeout"/> for a slow disk) and stops.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _queue.Writer.TryComplete();
        await Task.WhenAny(_loop, Task.Delay(timeout, _time)).ConfigureAwait(false);
        ReportLoss(force: true);
        if (_loop.IsCompleted) return;
        // Past the deadline: stop waiting on the store (a retry's delay, a database that does not answer).
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(1), _time)).ConfigureAwait(false);
        LogAbandoned(_logger, _loop.IsCompleted ? _abandoned : _queue.Reader.Count);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _spool?.Dispose();
    }

    [LoggerMessage(EventIds.LedgerDropped, LogLevel.Warning,
        "Usage ledger queue full: {Lost} request(s) not recorded ({Total} in all since start; {Queued} waiting for the disk)")]
    private static partial void LogDropped(ILogger logger, long lost, long total, int queued);

    [LoggerMessage(EventIds.LedgerWriteFailed, LogLevel.Error, "Usage ledger: {Count} request(s) could not be written")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventIds.LedgerWriteRetrying, LogLevel.Warning,
        "Usage ledger: {Count} request(s) could not be written yet; keeping them and trying again ({Queued} more waiting)")]
    private static partial void LogRetrying(ILogger logger, Exception exception, int count, int queued);

    [LoggerMessage(EventIds.LedgerWriteRecovered, LogLevel.Information, "Usage ledger: {Count} request(s) written at attempt {Attempt}")]
    private static partial void LogRecovered(ILogger logger, int count, int attempt);

    [LoggerMessage(EventIds.LedgerPruned, LogLevel.Information, "Usage ledger: deleted {Count} request(s) older than {Days} days")]
    private static partial void LogPruned(ILogger logger, int count, int days);

    [LoggerMessage(EventIds.LedgerPruneFailed, LogLevel.Error, "Usage ledger: deleting old requests failed")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.LedgerSpoolReplaying, LogLevel.Information,
        "Usage ledger: sending {Count} request(s) an earlier run recorded but did not store ({Unreadable} unreadable line(s) skipped)")]
    private static partial void LogReplaying(ILogger logger, int count, int unreadable);

    [LoggerMessage(EventIds.LedgerSpoolFailed, LogLevel.Warning,
        "Usage ledger: the spool file could not be written or cleared; requests are still recorded, but a replica killed now loses what only its memory holds")]
    private static partial void LogSpoolFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventIds.LedgerAbandoned, LogLevel.Warning, "Usage ledger: stopped with {Count} request(s) still waiting for the disk")]
    private static partial void LogAbandoned(ILogger logger, int count);
}
