using System.Text;
using Switchboard.Ledger;

namespace Switchboard.Team.Ledger;

/// <summary>
/// <c>/metrics</c>' team-wide part: today's figures from the team ledger, summed over every replica, by user, group,
/// key, provider, model and duty (gauges: they restart at midnight, and any replica gives the same answer, so a
/// dashboard takes one replica's or the max, never the sum). The replica's own counters above them stay its own.
/// </summary>
internal static class TeamUsageMetrics
{
    private static readonly (UsageGrouping By, string Label)[] Groupings =
    [
        (UsageGrouping.User, "user"), (UsageGrouping.Group, "group"), (UsageGrouping.Key, "key"),
        (UsageGrouping.Provider, "provider"), (UsageGrouping.Model, "model"), (UsageGrouping.Duty, "duty"),
    ];

    public static string Write(IUsageReader ledger, UsagePeriod today)
    {
        List<(string By, UsageTotals Totals)>? rows;
        try
        {
            rows = [.. Groupings.SelectMany(grouping => ledger.Totals(today.From, today.To, grouping.By).Select(totals => (grouping.Label, totals)))];
        }
        catch (Exception ex) when (TeamLedgerStore.IsTransient(ex))
        {
            rows = null;
        }
        var text = new StringBuilder();
        UsageMetrics.Header(text, "switchboard_team_ledger_up", "gauge", "Whether the team ledger in PostgreSQL answered this scrape.");
        text.Append("switchboard_team_ledger_up ").Append(rows is null ? 0 : 1).Append('\n');
        if (rows is null) return text.ToString();

        Family(text, rows, "switchboard_team_requests_today", "Requests since local midnight, all replicas, by user, group, key, provider, model or duty.",
            totals => [("", Count(totals.Requests))]);
        Family(text, rows, "switchboard_team_errors_today", "Failed requests since local midnight, all replicas.",
            totals => [("", Count(totals.Errors))]);
        Family(text, rows, "switchboard_team_tokens_today", "Tokens since local midnight, all replicas, by kind.", totals =>
        [
            (",kind=\"input\"", Count(totals.InputTokens)), (",kind=\"output\"", Count(totals.OutputTokens)),
            (",kind=\"cache_read\"", Count(totals.CacheReadTokens)), (",kind=\"cache_write\"", Count(totals.CacheWriteTokens)),
        ]);
        Family(text, rows, "switchboard_team_cost_usd_today", "Estimated cost in US dollars since local midnight, all replicas.",
            totals => [("", UsageMetrics.Number(totals.Cost))]);
        return text.ToString();
    }

    private static void Family(StringBuilder text, List<(string By, UsageTotals Totals)> rows, string name, string help,
        Func<UsageTotals, (string Labels, string Value)[]> values)
    {
        UsageMetrics.Header(text, name, "gauge", help);
        foreach (var (by, totals) in rows)
            foreach (var (labels, value) in values(totals))
                text.Append(name).Append("{by=\"").Append(by).Append("\",name=\"").Append(UsageMetrics.Escape(totals.Key)).Append('"')
                    .Append(labels).Append("} ").Append(value).Append('\n');
    }

    private static string Count(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
