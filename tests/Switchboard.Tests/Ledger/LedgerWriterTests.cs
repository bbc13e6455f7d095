using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Config;
using Switchboard.Ledger;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Ledger;

public sealed class LedgerWriterTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Record_StoreIsStuck_ReturnsAtOnceAndCountsAndLogsEveryLoss()
    {
        // Given a store whose disk hangs, and a queue of 4
        var store = new GatedStore();
        var logs = new CapturingLoggerProvider();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var writer = new LedgerWriter(store, () => new LedgerConfig(), logs.CreateLogger("ledger"), time, capacity: 4);
        await store.Started.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        // When one request is being written as the disk hangs, and 10 more finish meanwhile
        writer.Record(Record(0));
        await store.Blocked.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        for (var i = 1; i <= 10; i++) writer.Record(Record(i));

        // Then every call returned (we are here); the bound of 4 counts the one being written, so 3 are queued
        // and 7 were counted as lost and logged at once
        writer.Queued.ShouldBe(3);
        writer.Dropped.ShouldBe(7);
        logs.Lines.Count(line => line.Contains("queue full")).ShouldBe(1);
        logs.All.ShouldContain("1 request(s) not recorded (1 in all since start");

        // And losses within the log interval are summed into the next line, not dropped from the log
        time.Advance(LedgerWriter.LossLogInterval);
        writer.Record(Record(11));
        logs.All.ShouldContain("7 request(s) not recorded (8 in all since start; 3 waiting for the disk)");

        // And once the disk answers, what was queued is written
        store.Release();
        await writer.StopAsync(TimeSpan.FromSeconds(30));
        store.Written.Select(r => r.InputTokens).ShouldBe([0, 1, 2, 3]);
        writer.Written.ShouldBe(4);
    }

    [Fact]
    public async Task Start_RecordsPastRetention_AreDeleted()
    {
        using var home = new TempHome();
        var ledger = UsageLedger.Open(home.Home.LedgerFile);
        var now = DateTimeOffset.UtcNow;
        ledger.Append([Record(1) with { Time = now.AddDays(-40) }, Record(2) with { Time = now.AddDays(-10) }]);

        await using (new LedgerWriter(ledger, () => new LedgerConfig { RetentionDays = 30 }, new CapturingLoggerProvider().CreateLogger("l")))
        {
        }

        ledger.Recent(now.AddYears(-1), now.AddDays(1), 10).Select(r => r.InputTokens).ShouldBe([2]);
    }

    [Fact]
    public async Task Record_LedgerDisabled_StoresNothing()
    {
        var store = new GatedStore();
        store.Release();
        var writer = new LedgerWriter(store, () => new LedgerConfig { Enabled = false }, new CapturingLoggerProvider().CreateLogger("l"));

        writer.Record(Record(1));
        await writer.StopAsync(TimeSpan.FromSeconds(30));

        store.Written.ShouldBeEmpty();
        writer.Dropped.ShouldBe(0);
    }

    private static RequestRecord Record(int input) => new()
    {
        Time = DateTimeOffset.UtcNow,
        Provider = "p",
        Model = "m",
        RequestedModel = "m",
        InputTokens = input,
        Status = 200,
    };

    /// <summary>A store that blocks in Append until released, like a disk that stopped answering.</summary>
    private sealed class GatedStore : ILedgerStore
    {
        private readonly ManualResetEventSlim _gate = new(false);
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ConcurrentQueue<RequestRecord> Written { get; } = new();

        public void Release() => _gate.Set();

        public Task AppendAsync(IReadOnlyList<RequestRecord> records, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
        {
            Blocked.TrySetResult();
            _gate.Wait(TimeSpan.FromSeconds(60), cancellationToken);
            foreach (var record in records) Written.Enqueue(record);
            return Task.CompletedTask;
        }

        public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            return Task.FromResult(0);
        }
    }
}
