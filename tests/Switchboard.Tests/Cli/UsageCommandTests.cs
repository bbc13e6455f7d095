using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>switchboard usage</c>, run as the real executable against a ledger file.</summary>
public sealed class UsageCommandTests : IDisposable
{
    private readonly TempHome _home = new();

    public UsageCommandTests() => SampleLedger.Write(_home);

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

    public void Dispose()
    {
        SampleLedger.Release();
        _home.Dispose();
    }
}
