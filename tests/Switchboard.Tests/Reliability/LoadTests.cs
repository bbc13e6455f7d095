using System.Net;
using System.Text;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Reliability;

/// <summary>
/// Load through the published binary (issue 14, class 10): many streams, many open at once, many clients that leave
/// mid-stream, and memory that goes back down afterwards. Each run starts its own daemon and upstream, so none depends
/// on another; each ends with the daemon alive and no unhandled exception in its log. The full load, repeated,
/// with RSS over time, is <c>bench/soak.sh</c>; the figures are in <c>bench/README.md</c> ("Load and soak").
/// </summary>
[UsesPublishedBinary]
public sealed class LoadTests(ITestOutputHelper output)
{
    /// <summary>The bound for the daemon with 500 streams open.</summary>
    private const double OpenStreamsBoundMegabytes = 100;

    /// <summary>The bound for memory left after a burst, over the idle figure.</summary>
    private const double ReturnBoundMegabytes = 20;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public Task TenThousandStreams_AtConcurrency64_AllArriveWholeAndWellFormed() => RunAsync("10,000 streams at c=64", async rig =>
    {
        var completed = 0;
        await Concurrently.RunAsync(10_000, 64, async i =>
        {
            await rig.StreamCompleteAsync("s" + i, Cancel);
            Interlocked.Increment(ref completed);
        });
        completed.ShouldBe(10_000);
    });

    [Fact]
    public Task FiveHundredOpenStreams_StayUnder100MB_ThenAllComplete() => RunAsync("500 open streams", async rig =>
    {
        var rss = await HoldOpenStreamsAsync(rig, 500, "open");
        rss.ShouldBeLessThanOrEqualTo(OpenStreamsBoundMegabytes, $"RSS with 500 streams open: {rss:0} MB");
    });

    [Fact]
    public Task ThousandClientsLeavingMidStream_LeaveNoUpstreamConnectionOpen() => RunAsync("1,000 mid-stream disconnects", async rig =>
    {
        await DisconnectMidStreamAsync(rig, 1_000);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int open;
        while ((open = rig.Server.ConnectionsTo(rig.Upstream.Port)) > 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(5))
                throw new LeakException($"5 s after 1,000 clients left mid-stream, the daemon still holds {open} upstream connections open");
            await Task.Delay(100, Cancel);
        }
        // And it still serves.
        await rig.StreamCompleteAsync("after", Cancel);
    });

    [Fact]
    public Task AfterABurst_MemoryReturnsWithin20MBOfIdle() => RunAsync("memory returns after a burst", async rig =>
    {
        for (var i = 0; i < 200; i++) await rig.StreamCompleteAsync("warm" + i, Cancel);
        var idle = await SettledRssAsync(rig.Server);

        await Concurrently.RunAsync(2_000, 64, i => rig.StreamCompleteAsync("b" + i, Cancel));
        await HoldOpenStreamsAsync(rig, 500, "burst");
        await DisconnectMidStreamAsync(rig, 200);
        await SendLargeBodyAsync(rig);
        var peak = rig.Server.RssMegabytes();

        // The daemon trims its heap once it has been idle for a few seconds (IdleHeapTrim); 30 s is ample.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double now;
        while ((now = rig.Server.RssMegabytes()) > idle + ReturnBoundMegabytes && clock.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(250, Cancel);
        output.WriteLine($"RSS idle {idle:0.0} MB, after the burst {peak:0.0} MB, {clock.Elapsed.TotalSeconds:0.0} s later {now:0.0} MB (peak {rig.Server.PeakRssMegabytes():0.0} MB)");
        foreach (var line in rig.Server.Log.Split('\n').Where(line => line.Contains("heap trimmed", StringComparison.Ordinal))) output.WriteLine(line);
        now.ShouldBeLessThanOrEqualTo(idle + ReturnBoundMegabytes,
            $"idle {idle:0.0} MB, after the burst {peak:0.0} MB, 30 s later still {now:0.0} MB");
    });

    /// <summary>
    /// Opens <paramref name="count"/> streams the upstream holds mid-way, samples RSS once every client has its first
    /// event, then releases them and checks each completes. Returns the RSS sampled.
    /// </summary>
    private async Task<double> HoldOpenStreamsAsync(LoadRig rig, int count, string caseId)
    {
        var opened = 0;
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streams = Enumerable.Range(0, count).Select(async _ =>
        {
            using var request = LoadRig.Request("held", caseId);
            using var response = await rig.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
            await using var body = await response.Content.ReadAsStreamAsync(Cancel);
            var first = await LoadRig.ReadFirstEventAsync(body, Cancel);
            if (Interlocked.Increment(ref opened) == count) allOpen.TrySetResult();
            using var rest = new StreamReader(body, Encoding.UTF8);
            LoadRig.EnsureComplete(response, first + await rest.ReadToEndAsync(Cancel));
        }).ToList();
        await Task.WhenAny(allOpen.Task, Task.WhenAll(streams)).WaitAsync(TimeSpan.FromSeconds(60), Cancel);
        if (!allOpen.Task.IsCompleted) await Task.WhenAll(streams); // a stream failed before all were open: say why
        var rss = rig.Server.RssMegabytes();
        var upstreamConnections = rig.Server.ConnectionsTo(rig.Upstream.Port);
        output.WriteLine($"{count} streams open: RSS {rss:0.0} MB, {upstreamConnections} upstream connections");
        upstreamConnections.ShouldBeGreaterThanOrEqualTo(count, "every held stream stands on its own upstream connection");
        rig.Upstream.Release(caseId);
        await Task.WhenAll(streams).WaitAsync(TimeSpan.FromSeconds(60), Cancel);
        return rss;
    }

    /// <summary><paramref name="count"/> clients (64 at a time) that read the first event of a stream and go away.</summary>
    private static Task DisconnectMidStreamAsync(LoadRig rig, int count) => Concurrently.RunAsync(count, 64, async i =>
    {
        using var request = LoadRig.Request("stall-mid-body", "gone" + i);
        using var response = await rig.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var body = await response.Content.ReadAsStreamAsync(Cancel);
        await LoadRig.ReadFirstEventAsync(body, Cancel);
    });

    /// <summary>
    /// A 40 MB request: over Anthropic's 32 MB limit, a 413, read and dropped without being held. (A large request
    /// that is served leaves buffers in ArrayPool.Shared until the trim a minute later: that is the soak's to measure.)
    /// </summary>
    private static async Task SendLargeBodyAsync(LoadRig rig)
    {
        var body = AnthropicWire.Request("oa:fault-none--large", stream: false, text: new string('x', 40 * 1024 * 1024));
        using var response = await rig.Client.PostAsync("/v1/messages", new ByteArrayContent(Encoding.UTF8.GetBytes(body))
        {
            Headers = { ContentType = new("application/json") },
        }, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge, await response.Content.ReadAsStringAsync(Cancel));
    }

    /// <summary>RSS once two samples a second apart agree within 1 MB (the daemon's start-up work has settled).</summary>
    private static async Task<double> SettledRssAsync(PublishedServer server)
    {
        var last = server.RssMegabytes();
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(1000, Cancel);
            var now = server.RssMegabytes();
            if (Math.Abs(now - last) < 1) return now;
            last = now;
        }
        return last;
    }

    private static async Task RunAsync(string name, Func<LoadRig, Task> run)
    {
        await using var rig = await LoadRig.StartAsync();
        await ReliabilityTally.CaseAsync(ReliabilityTally.Load, name, async () =>
        {
            await run(rig);
            // Whatever the load did, the daemon is alive and logged no unhandled exception.
            rig.Server.EnsureHealthy();
        }, () => rig.Server.PeakRssMegabytes());
    }
}
