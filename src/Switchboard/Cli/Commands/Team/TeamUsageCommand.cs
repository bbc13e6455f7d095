using System.CommandLine;
using System.Text.Json;
using Switchboard.Ledger;

namespace Switchboard.Cli.Commands.Team;

/// <summary>
/// <c>switchboard team usage --by user|group|key|provider|model|duty</c>: team-wide figures, every replica's requests,
/// read through the gateway's dashboard API (<c>/ui/api/summary</c>, admins only) and shown as <c>switchboard usage</c>
/// shows them; <c>--json</c> prints the same shape as <c>switchboard usage --json</c>.
/// </summary>
internal static class TeamUsageCommand
{
    private static readonly string[] Groupings = ["user", "group", "key", "provider", "model", "duty"];

    public static Command Create(TeamCall.Options options)
    {
        var by = new Option<string>("--by") { Description = "Group by user, group, key, provider, model or duty.", DefaultValueFactory = _ => "user" };
        by.AcceptOnlyFromAmong(Groupings);
        var period = new Option<string?>("--period") { Description = "today, 7d or 30d (all three when left out)." };
        period.AcceptOnlyFromAmong([.. UsagePeriod.Names]);
        var command = new Command("usage", "Team-wide usage, cost and savings from the team ledger (every replica's requests).") { by, period };
        options.Act(command, (call, result) => RunAsync(call, result.GetValue(by)!, result.GetValue(period)));
        return command;
    }

    private static async Task RunAsync(TeamCall call, string by, string? periodName)
    {
        var reports = new List<UsageReport>();
        foreach (var name in periodName is null ? UsagePeriod.Names : [periodName])
        {
            var summary = await call.Gateway.SendAsync(HttpMethod.Get, $"ui/api/summary?period={name}", null, UsageJson.Default.UsageSummary, call.Cancel);
            var groups = Pick(summary, by) ?? throw new TeamCliException(
                $"The gateway at {call.Gateway.Url} is not in team mode (its usage knows no users); there, use switchboard usage.");
            reports.Add(new UsageReport(summary.Period, summary.From, summary.To, by, UsageTotals.Sum("total", groups), groups));
        }
        if (call.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(reports, UsageCliJson.Default.ListUsageReport));
            return;
        }
        foreach (var report in reports) UsageCommand.Show(call.Console, report);
    }

    private static List<UsageTotals>? Pick(UsageSummary summary, string by) => by switch
    {
        "provider" => summary.ByUser is null ? null : summary.ByProvider,
        "model" => summary.ByUser is null ? null : summary.ByModel,
        "duty" => summary.ByUser is null ? null : summary.ByDuty,
        "user" => summary.ByUser,
        "group" => summary.ByGroup,
        _ => summary.ByKey,
    };
}
