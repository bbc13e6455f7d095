using Spectre.Console;
using Switchboard.Config;
using Switchboard.Ledger;
using Switchboard.Team;
using Switchboard.Team.Ledger;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard usage</c> in team mode: the team ledger read straight from PostgreSQL with the config's
/// <c>team.postgres</c>, as a replica on this host would (so it needs no admin key, only what the config already
/// holds, and works while no replica runs). Without a <c>team</c> section nothing here is touched.
/// </summary>
internal static class TeamUsageLedger
{
    /// <summary>The groupings only the team ledger knows.</summary>
    public static readonly string[] Groupings = ["user", "group", "key"];

    /// <summary>The config's <c>team</c> section, when the config loads and has one.</summary>
    public static TeamConfig? Of(SwitchboardHome home) =>
        File.Exists(home.ConfigFile) ? ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry).Config?.Team : null;

    public static int Run(TeamConfig team, List<UsagePeriod> periods, string by, UsageGrouping grouping, bool json, IAnsiConsole console)
    {
        List<UsageReport> reports;
        try
        {
            using var database = TeamDatabase.Create(EnvExpander.Expand(team.Postgres ?? ""));
            reports = UsageCommand.Reports(new TeamLedgerReader(database), periods, by, grouping);
        }
        catch (Exception ex) when (ex is TeamStoreException or Npgsql.NpgsqlException)
        {
            // TeamDatabase's messages name the server and the user, never the password.
            CliConsole.Error.MarkupLineInterpolated($"[red]switchboard usage:[/] the team ledger cannot be read: {ex.Message}");
            return 1;
        }
        if (json) return UsageCommand.Print(reports);
        console.MarkupLine("[grey]Team mode: every replica's requests, from the team ledger in PostgreSQL.[/]");
        foreach (var report in reports) UsageCommand.Show(console, report);
        return 0;
    }
}
