using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Ledger;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>switchboard usage</c>, run as the real executable against a ledger file.</summary>
public sealed class UsageCommandTests : IDisposable
{
    private readonly TempHome _home = new();

    public UsageCommandTests()
    {
        var now = DateTimeOffset.Now;
        UsageLedger.Open(_home.Home.LedgerFile).Append(
        [
            Record(now, "anthropic", "claude-sonnet-4-5", "s1", 1000, 100, cost: 0.0045, requested: 0.0045),
            Record(now, "ollama-local", "qwen3:8b", "s1", 4000, 500, cost: 0, requested: 0.0065),
            Record(now, "ollama-local", "qwen3:8b", "s2", 2000, 250, cost: 0, requested: 0.00325),
            Record(now.AddDays(-3), "anthropic", "claude-opus-4-5", "s0", 10, 10, cost: 1, requested: 1),
            Record(now.AddDays(-20), "anthropic", "claude-opus-4-5", "s0", 10, 10, cost: 2, requested: 2),
        ]);
    }

    [Fact]
    public async Task Usage_Json_GivesEachPeriodsGroupsAndTotal()
    {
        var result = await new CliRunner(_home).RunAsync("usage", "--json");

        result.ExitCode.ShouldBe(0, result.ToString());
        var periods = JsonNode.Parse(result.Stdout)!.AsArray();
        periods.Select(p => p!["period"]!.GetValue<string>()).ShouldBe(["today", "7d", "30d"]);
        var today = periods[0]!;
        var ollama = today["groups"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == "ollama-local")!;
        (ollama["requests"]!.GetValue<long>(), ollama["inputTokens"]!.GetValue<long>(), ollama["savings"]!.GetValue<double>())
            .ShouldBe((2L, 6000L, 0.00975));
        today["total"]!["requests"]!.GetValue<long>().ShouldBe(3);
        periods[1]!["total"]!["requests"]!.GetValue<long>().ShouldBe(4);
        periods[2]!["total"]!["cost"]!.GetValue<double>().ShouldBe(3.0045, 1e-9);
    }

    [Fact]
    public async Task Usage_BySessionToday_PrintsATableWithTotals()
    {
        var result = await new CliRunner(_home).RunAsync("usage", "--period", "today", "--by", "session");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Today by session");
        result.Stdout.ShouldNotContain("Last 7 days");
        var s1 = result.Stdout.Split('\n').Single(line => line.Contains(" s1 "));
        s1.ShouldContain("5,000");
        s1.ShouldContain("$0.0045");
        s1.ShouldContain("$0.0065");
        result.Stdout.Split('\n').Single(line => line.Contains("total")).ShouldContain("7,000");
    }

    [Fact]
    public async Task Usage_NoLedgerYet_SaysSo()
    {
        using var empty = new TempHome();
        var result = await new CliRunner(empty).RunAsync("usage");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("No usage recorded yet");
        File.Exists(empty.Home.LedgerFile).ShouldBeFalse();
    }

    [Fact]
    public async Task Usage_UnknownGrouping_IsRefused()
    {
        var result = await new CliRunner(_home).RunAsync("usage", "--by", "color");
        result.ExitCode.ShouldNotBe(0);
    }

    private static RequestRecord Record(DateTimeOffset time, string provider, string model, string session, long input, long output,
        double cost, double requested) => new()
    {
        Time = time,
        Provider = provider,
        Model = model,
        RequestedModel = "claude-sonnet-4-5",
        Session = session,
        InputTokens = input,
        OutputTokens = output,
        Cost = cost,
        RequestedCost = requested,
        Status = 200,
        LatencyMs = 10,
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _home.Dispose();
    }
}
