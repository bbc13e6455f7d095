using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Anthropic;

namespace Switchboard.Tests.Anthropic;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task WithPings_SilentUpstream_PingsEachIntervalThenPassesEventsThrough()
    {
        // Given an upstream that has sent nothing yet, and a clock under the test's control
        var upstream = Channel.CreateUnbounded<StreamEvent>();
        var time = new FakeTimeProvider();
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var events = upstream.Reader.ReadAllAsync(cancellationToken)
            .WithPings(TimeSpan.FromSeconds(10), time, cancellationToken)
            .GetAsyncEnumerator(cancellationToken);

        // When ten seconds of silence pass, Then a ping comes out
        // (the iterator runs synchronously up to its first wait, so the timer is armed when MoveNextAsync returns)
        var next = events.MoveNextAsync().AsTask();
        next.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(10));
        (await next).ShouldBeTrue();
        events.Current.Type.ShouldBe(StreamEventTypes.Ping);

        // When the upstream speaks, Then its event comes out, not another ping
        next = events.MoveNextAsync().AsTask();
        await upstream.Writer.WriteAsync(new StreamEvent { Type = StreamEventTypes.MessageStop }, cancellationToken);
        (await next).ShouldBeTrue();
        events.Current.Type.ShouldBe(StreamEventTypes.MessageStop);

        // When the upstream ends, Then the stream ends
        upstream.Writer.Complete();
        (await events.MoveNextAsync()).ShouldBeFalse();
    }

    [Fact]
    public async Task WithPings_LivelyUpstream_NeverPings()
    {
        var time = new FakeTimeProvider();
        var source = new[] { "message_start", "message_delta", "message_stop" }
            .Select(type => new StreamEvent { Type = type }).ToAsyncEnumerable();

        var types = new List<string?>();
        await foreach (var streamEvent in source.WithPings(TimeSpan.FromSeconds(1), time, TestContext.Current.CancellationToken))
            types.Add(streamEvent.Type);

        types.ShouldBe(["message_start", "message_delta", "message_stop"]);
    }
}
