using Shouldly;
using Switchboard.Ledger;

namespace Switchboard.Tests.Ledger;

public sealed class LiveFeedTests
{
    [Fact]
    public void Subscribe_SeesRequestsFromThenOn_AndASlowWatcherLosesOnlyItsOldest()
    {
        var feed = new LiveFeed();
        feed.Publish(Record(-1));
        using (var watch = feed.Subscribe())
        {
            for (var i = 0; i < LiveFeed.WatcherBacklog + 2; i++) feed.Publish(Record(i));

            var seen = new List<long>();
            while (watch.Reader.TryRead(out var record)) seen.Add(record.InputTokens);
            seen.Count.ShouldBe(LiveFeed.WatcherBacklog);
            seen[0].ShouldBe(2);
            seen[^1].ShouldBe(LiveFeed.WatcherBacklog + 1);
        }
        feed.Watchers.ShouldBe(0);
    }

    private static RequestRecord Record(long input) =>
        new() { Time = DateTimeOffset.UtcNow, Provider = "p", Model = "m", RequestedModel = "m", InputTokens = input };
}
