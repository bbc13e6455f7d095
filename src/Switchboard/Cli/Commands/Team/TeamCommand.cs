using System.CommandLine;

namespace Switchboard.Cli.Commands.Team;

/// <summary>
/// <c>switchboard team</c>: the team gateway's administration from a terminal, over its admin HTTP API
/// (docs/team-administration.md). Which gateway: <c>--url</c>, else the daemon running here, else the config's
/// <c>team.publicUrl</c>; the admin key comes from <c>SWITCHBOARD_ADMIN_KEY</c> (or <c>--key</c>).
/// </summary>
internal static class TeamCommand
{
    public static Command Create()
    {
        var options = new TeamCall.Options();
        var team = new Command("team", "Administer a team gateway: users, groups, keys, limits, group policies, team-wide usage.")
        {
            TeamUsersCommand.Create(options),
            TeamGroupsCommand.Create(options),
            TeamKeysCommand.Create(options),
            TeamLimitsCommand.Create(options),
            TeamPolicyCommand.Create(options),
            TeamSettingsCommand.Create(options),
            TeamUsageCommand.Create(options),
        };
        options.AddTo(team);
        return team;
    }
}
