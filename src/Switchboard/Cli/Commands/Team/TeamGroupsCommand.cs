using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Hosting.Team.Admin;
using static Switchboard.Cli.Commands.Team.TeamArguments;
using static Switchboard.Cli.Commands.Team.TeamGateway;

namespace Switchboard.Cli.Commands.Team;

/// <summary><c>switchboard team groups list|create|delete|add-member|remove-member</c>, over <c>/api/team/groups</c>.</summary>
internal static class TeamGroupsCommand
{
    public static Command Create(TeamCall.Options options)
    {
        var list = new Command("list", "List the groups and their members.");
        options.Act(list, (call, _) => call.GetAsync("api/team/groups", TeamAdminJson.Default.AdminGroupList, groups => Show(call, groups.Groups)));

        var name = new Argument<string>("name") { Description = "The new group's name (like platform-team)." };
        var create = new Command("create", "Create a group.") { name };
        options.Act(create, (call, result) => call.PostAsync("api/team/groups",
            JsonSerializer.Serialize(new CreateGroupRequest(result.GetValue(name)), TeamAdminJson.Default.CreateGroupRequest),
            TeamAdminJson.Default.AdminGroupChange, change => Shown(call, change)));

        var delete = new Command("delete", "Delete a group and its memberships (its members stay).") { Group() };
        options.Act(delete, (call, result) => call.RunAsync(HttpMethod.Delete, $"api/team/groups/{Segment(GroupOf(result))}", null,
            TeamAdminJson.Default.AdminGroupChange, change =>
            {
                call.Console.MarkupLineInterpolated($"deleted group {change.Group.Name}");
                call.ToldReplicas(change.ReplicasTold);
            }));

        var addMember = new Command("add-member", "Add a user to a group.") { Group(), User() };
        options.Act(addMember, (call, result) => call.PostAsync($"api/team/groups/{Segment(GroupOf(result))}/members",
            JsonSerializer.Serialize(new MemberRequest(UserOf(result)), TeamAdminJson.Default.MemberRequest),
            TeamAdminJson.Default.AdminGroupChange, change => Shown(call, change)));

        var removeMember = new Command("remove-member", "Remove a user from a group.") { Group(), User() };
        options.Act(removeMember, (call, result) => call.RunAsync(HttpMethod.Delete,
            $"api/team/groups/{Segment(GroupOf(result))}/members/{Segment(UserOf(result))}", null,
            TeamAdminJson.Default.AdminGroupChange, change => Shown(call, change)));

        return new Command("groups", "Manage groups and their members.") { list, create, delete, addMember, removeMember };
    }

    private static void Shown(TeamCall call, AdminGroupChange change)
    {
        Show(call, [change.Group]);
        call.ToldReplicas(change.ReplicasTold);
    }

    private static void Show(TeamCall call, List<AdminGroup> groups)
    {
        var table = new Table().AddColumns("group", "members", "id");
        foreach (var group in groups)
            table.AddRow(Markup.Escape(group.Name), Markup.Escape(string.Join(", ", group.Members.Select(member => member.Email))), group.Id.ToString());
        if (groups.Count == 0) table.AddRow("[grey](no groups)[/]");
        call.Console.Write(table);
    }
}
