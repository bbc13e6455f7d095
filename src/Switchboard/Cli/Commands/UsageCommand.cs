using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Config;
using Switchboard.Ledger;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard usage</c>: what the ledger recorded today, in the last 7 and 30 days, grouped by provider, model,
/// duty or session, with estimated cost and savings; <c>--json</c> for scripts. Reads <c>usage.db</c> directly, so it
/// works whether or not the daemon runs. In team mode (a <c>team</c> section in the config) it reads the team ledger in
/// PostgreSQL through the config's <c>team.postgres</c> instead, every replica's requests, and can group them by user,
/// group and key; on a machine without the database's address, <c>switchboard team usage</c> asks a gateway.
/// </summary>
internal static class UsageCommand
{
    public static Command Create()
    {
        var period = new Option<string?>("--period") { Description = "today, 7d or 30d (all three when left out)." };
        period.AcceptOnlyFromAmong([.. UsagePeriod.Names]);
        var by = new Option<string>("--by")
        {
            Description = "Group by provider, model, duty or session; in team mode also by user, group or key.", DefaultValueFactory = _ => "provider",
        };
        by.AcceptOnlyFromAmong(["provider", "model", "duty", "session", .. TeamUsageLedger.Groupings]);
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var command = new Command("usage", "Show recorded usage, cost and savings.") { period, by, json };
        command.SetAction(result => Run(SwitchboardHome.FromEnvironment(), result.GetValue(period), result.GetValue(by)!,
            result.GetValue(json), CliConsole.Out, TimeProvider.System));
        return command;
    }

    public static int Run(SwitchboardHome home, string? periodName, string by, bool json, IAnsiConsole console, TimeProvider time)
    {
        var grouping = Enum.Parse<UsageGrouping>(by, ignoreCase: true);
        var periods = (periodName is null ? UsagePeriod.Names : [periodName]).Select(name => UsagePeriod.Parse(name, time)!).ToList();
        if (TeamUsageLedger.Of(home) is { } team) return TeamUsageLedger.Run(team, periods, by, grouping, json, console);
        if (TeamUsageLedger.Groupings.Contains(by))
        {
            CliConsole.Error.MarkupLineInterpolated(
                $"[red]switchboard usage:[/] --by {by} needs team mode (a team section in the config): the local ledger does not know who asked.");
            return 2;
        }
        var ledger = UsageLedger.OpenExisting(home.LedgerFile);
        var reports = Reports(ledger, periods, by, grouping);

        if (json) return Print(reports);
        if (ledger is null)
        {
            console.MarkupLineInterpolated($"No usage recorded yet (the ledger will be {home.LedgerFile}).");
            return 0;
        }
        foreach (var report in reports) Show(console, report);
        return 0;
    }

    internal static List<UsageReport> Reports(IUsageReader? ledger, List<UsagePeriod> periods, string by, UsageGrouping grouping) =>
        [.. periods.Select(period =>
        {
            var groups = ledger?.Totals(period.From, period.To, grouping).ToList() ?? [];
            return new UsageReport(period.Name, period.From, period.To, by, UsageTotals.Sum("total", groups), groups);
        })];

    internal static int Print(List<UsageReport> reports)
    {
        Console.Out.WriteLine(JsonSerializer.Serialize(reports, UsageCliJson.Default.ListUsageReport));
        return 0;
    }

    internal static void Show(IAnsiConsole console, UsageReport report)
    {
        var title = report.Period switch { "today" => "Today", "7d" => "Last 7 days", _ => "Last 30 days" };
        var table = new Table { Title = new TableTitle($"{title} by {report.By}") }
            .AddColumns(report.By, "requests", "errors", "input", "output", "cache read", "cache write", "cost", "as requested", "saved");
        foreach (var column in table.Columns.Skip(1)) column.RightAligned();
        foreach (var group in report.Groups) table.AddRow(Row(group.Key.Length == 0 ? "(none)" : group.Key, group));
        if (report.Groups.Count == 0) table.AddRow("[grey](no requests)[/]");
        else table.AddRow(Row("[bold]total[/]", report.Total, escape: false));
        console.Write(table);
        if (report.Total.Unpriced > 0)
            console.MarkupLineInterpolated($"[grey]{report.Total.Unpriced} request(s) used models without a known price (counted at $0; add them to \"prices\" in config).[/]");
    }

    private static string[] Row(string key, UsageTotals totals, bool escape = true) =>
    [
        escape ? Markup.Escape(key) : key, Count(totals.Requests), Count(totals.Errors), Count(totals.InputTokens),
        Count(totals.OutputTokens), Count(totals.CacheReadTokens), Count(totals.CacheWriteTokens),
        Dollars(totals.Cost), Dollars(totals.RequestedCost), Dollars(totals.Savings),
    ];

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    internal static string Dollars(double value) => value.ToString("$0.0000", CultureInfo.InvariantCulture);
}

public sealed record UsageReport(string Period, DateTimeOffset From, DateTimeOffset To, string By, UsageTotals Total, List<UsageTotals> Groups);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(List<UsageReport>))]
internal sealed partial class UsageCliJson : System.Text.Json.Serialization.JsonSerializerContext;
