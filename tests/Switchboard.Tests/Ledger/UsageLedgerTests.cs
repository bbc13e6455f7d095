using Shouldly;
using Switchboard.Ledger;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Ledger;

public sealed class UsageLedgerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempHome _home = new();
    private readonly UsageLedger _ledger;

    public UsageLedgerTests()
    {
        _ledger = UsageLedger.Open(_home.Home.LedgerFile);
        _ledger.Append(
        [
            Row(0, "anthropic", "claude-sonnet-4-5", "default", "s1", input: 100, output: 10, cost: 0.5, requested: 0.5, latency: 900, ttfb: 300),
            Row(1, "anthropic", "claude-haiku-4-5", "background", "s1", input: 50, output: 5, cost: 0.1, requested: 0.1, latency: 400, ttfb: 100),
            Row(1, "ollama", "qwen3:8b", "background", "s2", input: 70, output: 7, cost: 0, requested: 0.3, latency: 2000, ttfb: null, status: 502, error: "api_error"),
            Row(3, "openrouter", "lab/mystery", "think", null, input: 30, output: 3, cost: null, requested: 0.2, latency: 1200, ttfb: 500),
            Row(30, "anthropic", "claude-sonnet-4-5", "default", "s3", input: 999, output: 99, cost: 9, requested: 9, latency: 1, ttfb: 1),
        ]);
    }

    [Fact]
    public void Totals_ByProvider_AddUpTokensCostsSavingsAndErrorsOfTheWindowOnly()
    {
        var totals = _ledger.Totals(Start, Start.AddHours(24), UsageGrouping.Provider).ToDictionary(t => t.Key);

        totals.Keys.ShouldBe(["anthropic", "openrouter", "ollama"], ignoreOrder: true);
        var anthropic = totals["anthropic"];
        (anthropic.Requests, anthropic.InputTokens, anthropic.OutputTokens).ShouldBe((2, 150, 15));
        anthropic.Cost.ShouldBe(0.6, 1e-9);
        anthropic.Savings.ShouldBe(0, 1e-9);
        var ollama = totals["ollama"];
        (ollama.Errors, ollama.Savings).ShouldBe((1, 0.3));
        // A request without a known price counts at zero cost, adds nothing to savings, and is counted as unpriced
        var mystery = totals["openrouter"];
        (mystery.Cost, mystery.Savings, mystery.Unpriced).ShouldBe((0, 0, 1));
    }

    [Theory]
    [InlineData(UsageGrouping.Model, "anthropic:claude-sonnet-4-5", 1)]
    [InlineData(UsageGrouping.Duty, "background", 2)]
    [InlineData(UsageGrouping.Session, "s1", 2)]
    [InlineData(UsageGrouping.Session, "", 1)]
    public void Totals_OtherGroupings_CountTheirRequests(UsageGrouping by, string key, long requests) =>
        _ledger.Totals(Start, Start.AddHours(24), by).Single(t => t.Key == key).Requests.ShouldBe(requests);

    [Fact]
    public void Series_HourlyBuckets_StartAtTheWindowAndSplitByProvider()
    {
        var series = _ledger.Series(Start, Start.AddHours(24), TimeSpan.FromHours(1), UsageGrouping.Provider);

        series.Select(s => (s.Bucket!.Value.Hour, s.Key, s.Requests)).ShouldBe(
        [
            (0, "anthropic", 1L),
            (1, "anthropic", 1L),
            (1, "ollama", 1L),
            (3, "openrouter", 1L),
        ]);
    }

    [Fact]
    public void Latencies_PerProvider_GivePercentilesAndLeaveOutMissingFirstBytes()
    {
        var latency = _ledger.Latencies(Start, Start.AddHours(24), UsageGrouping.Provider);
        var anthropic = LatencyPercentiles.Of("anthropic", latency["anthropic"].Latency, latency["anthropic"].FirstByte);
        (anthropic.Requests, anthropic.P50, anthropic.P99, anthropic.FirstByteP50).ShouldBe((2, 400L, 900L, (long?)100));
        latency["ollama"].FirstByte.ShouldBeEmpty();
    }

    [Fact]
    public void Recent_NewestFirst_RoundTripsEveryField()
    {
        var newest = _ledger.Recent(Start, Start.AddDays(2), 2);

        newest.Count.ShouldBe(2);
        newest[0].ShouldBe(Row(30, "anthropic", "claude-sonnet-4-5", "default", "s3", input: 999, output: 99, cost: 9, requested: 9, latency: 1, ttfb: 1));
        newest[1].Provider.ShouldBe("openrouter");
        newest[1].Cost.ShouldBeNull();
    }

    [Fact]
    public void LatencyPercentiles_NearestRank()
    {
        List<long> values = [.. Enumerable.Range(1, 100).Select(i => (long)i)];
        (LatencyPercentiles.Percentile(values, 50), LatencyPercentiles.Percentile(values, 90), LatencyPercentiles.Percentile(values, 99))
            .ShouldBe((50L, 90L, 99L));
        LatencyPercentiles.Percentile([7], 99).ShouldBe(7);
        LatencyPercentiles.Percentile([], 50).ShouldBeNull();
    }

    private static RequestRecord Row(int hour, string provider, string model, string duty, string? session, long input, long output,
        double? cost, double? requested, long latency, long? ttfb, int status = 200, string? error = null) => new()
    {
        Time = Start.AddHours(hour).AddMinutes(5),
        Provider = provider,
        Model = model,
        RequestedModel = "claude-sonnet-4-5",
        Duty = duty,
        Session = session,
        InputTokens = input,
        OutputTokens = output,
        CacheReadTokens = 1,
        CacheWriteTokens = 2,
        Cost = cost,
        RequestedCost = requested,
        LatencyMs = latency,
        TimeToFirstByteMs = ttfb,
        Status = status,
        Error = error,
        Streamed = true,
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _home.Dispose();
    }
}
