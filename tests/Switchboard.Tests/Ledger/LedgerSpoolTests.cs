using System.Collections.Concurrent;
using Shouldly;
using Switchboard.Config;
using Switchboard.Ledger;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Ledger;

/// <summary>
/// The team ledger's spool (issue 17, item 7): what a writer queued and could not store is on disk, and the next
/// writer on the same folder sends it first with the same ids; what was stored leaves the disk.
/// </summary>
public sealed class LedgerSpoolTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Records_TheStoreRefusedUntilTheWriterDied_AreSentByTheNextWriter_WithTheSameIds()
    {
        using var home = new TempHome();
        var folder = home.Home.TeamLedgerSpool;
        var down = new RecordingStore { Down = true };
        // A writer that is never stopped: like a replica killed, it gets no chance to flush anything.
        var dead = new LedgerWriter(down, () => new LedgerConfig(), new CapturingLoggerProvider().CreateLogger("l"),
            retry: Retry, spool: LedgerSpool.Open(folder));
        for (var i = 1; i <= 7; i++) dead.Record(Record(i));
        await Eventually.WaitAsync(() => down.Attempts > 0, "the first batch tried against the store that is down");

        var up = new RecordingStore();
        var logs = new CapturingLoggerProvider();
        await using (var next = new LedgerWriter(up, () => new LedgerConfig(), logs.CreateLogger("l"), retry: Retry, spool: LedgerSpool.Open(folder)))
            await Eventually.WaitAsync(() => up.Rows.Count == 7, $"the 7 spooled records stored (now {up.Rows.Count})");

        up.Rows.Values.Select(r => r.InputTokens).Order().ShouldBe([1, 2, 3, 4, 5, 6, 7]);
        // What the dead writer had already sent (and might have landed, its answer lost) is sent again under the same id
        down.Tried.ShouldNotBeEmpty();
        down.Tried.ShouldAllBe(tried => up.Rows.ContainsKey(tried.Key) && up.Rows[tried.Key].InputTokens == tried.Value.InputTokens);
        logs.All.ShouldContain("sending 7 request(s) an earlier run recorded but did not store");
        Directory.GetFiles(folder).ShouldBeEmpty("what was stored is off the disk");
        await dead.StopAsync(TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Spool_WhenEverythingIsStored_IsEmpty_AndALongRunClosesAndDeletesSegments()
    {
        using var home = new TempHome();
        var folder = home.Home.TeamLedgerSpool;
        var store = new RecordingStore();
        await using var writer = new LedgerWriter(store, () => new LedgerConfig(), new CapturingLoggerProvider().CreateLogger("l"),
            retry: Retry, spool: LedgerSpool.Open(folder));
        var count = LedgerSpool.SegmentSize * 2 + 10;
        for (var i = 0; i < count; i++) writer.Record(Record(i));

        await Eventually.WaitAsync(() => store.Rows.Count == count, $"all {count} stored (now {store.Rows.Count})");
        await Eventually.WaitAsync(() => Directory.GetFiles(folder).Length == 0, "no segment left once everything is stored");
        writer.SpoolFailures.ShouldBe(0);
    }

    [Fact]
    public async Task Open_ALineCutShortAndARepeatedId_AreSkipped_TheRestReplayedOnce()
    {
        using var home = new TempHome();
        var folder = home.Home.TeamLedgerSpool;
        var store = new RecordingStore { Down = true };
        var first = new LedgerWriter(store, () => new LedgerConfig(), new CapturingLoggerProvider().CreateLogger("l"),
            retry: Retry, spool: LedgerSpool.Open(folder));
        first.Record(Record(1));
        first.Record(Record(2));
        var segment = Directory.GetFiles(folder).ShouldHaveSingleItem();
        var lines = File.ReadAllLines(segment);
        // The same line in a second file (a replay that died before deleting) and half a line (a write cut by the kill)
        File.WriteAllText(Path.Combine(folder, "0-copy.jsonl"), lines[0] + "\n" + lines[1][..(lines[1].Length / 2)]);

        var reopened = LedgerSpool.Open(folder);

        reopened.Replay.Select(r => r.Record.InputTokens).ShouldBe([1, 2], ignoreOrder: true);
        reopened.Unreadable.ShouldBe(1);
        reopened.Dispose();
        await first.StopAsync(TimeSpan.FromMilliseconds(1));
    }

    private static readonly LedgerRetry Retry = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), _ => true);

    private static RequestRecord Record(int input) => new()
    {
        Time = DateTimeOffset.UtcNow, Provider = "p", Model = "m", RequestedModel = "m", InputTokens = input, Status = 200,
    };

    /// <summary>A store keyed by id like the team ledger (a repeated id is stored once); while down it refuses every batch.</summary>
    private sealed class RecordingStore : ILedgerStore
    {
        public volatile bool Down;
        public int Attempts;
        public ConcurrentDictionary<Guid, RequestRecord> Rows { get; } = new();
        public ConcurrentDictionary<Guid, RequestRecord> Tried { get; } = new();

        public Task AppendAsync(IReadOnlyList<RequestRecord> records, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Attempts);
            for (var i = 0; i < records.Count; i++) Tried.TryAdd(ids[i], records[i]);
            if (Down) throw new IOException("the database is down");
            for (var i = 0; i < records.Count; i++) Rows.TryAdd(ids[i], records[i]);
            return Task.CompletedTask;
        }

        public Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
