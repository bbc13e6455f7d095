using Microsoft.AspNetCore.Http;
using Switchboard.Team;
using static Switchboard.Hosting.Team.Admin.TeamAdminLookup;

namespace Switchboard.Hosting.Team.Admin;

/// <summary><c>/api/team/groups</c>: create, list, delete, add and remove members.</summary>
internal sealed class TeamAdminGroups(TeamServices team, TeamAdminLookup lookup)
{
    public async Task ListAsync(HttpContext context, string actor)
    {
        var cancel = context.RequestAborted;
        var groups = await lookup.Groups.ListAsync(cancel);
        var users = (await lookup.Users.ListAsync(cancel)).ToDictionary(user => user.Id);
        var members = (await lookup.Groups.MembershipsAsync(cancel)).ToLookup(m => m.GroupId, m => users[m.UserId]);
        await WriteAsync(context, new AdminGroupList([.. groups.Select(group => Describe(group, members[group.Id]))]), TeamAdminJson.Default.AdminGroupList);
    }

    public async Task CreateAsync(HttpContext context, string actor)
    {
        var body = await BodyAsync(context, TeamAdminJson.Default.CreateGroupRequest);
        if (string.IsNullOrWhiteSpace(body.Name) || Guid.TryParse(body.Name, out _))
            throw Invalid("A new group needs a \"name\" (like platform-team), which must not look like an id.");
        var group = await lookup.Groups.CreateAsync(body.Name.Trim(), actor, context.RequestAborted);
        await WriteAsync(context, new AdminGroupChange(Describe(group, []), null), TeamAdminJson.Default.AdminGroupChange, StatusCodes.Status201Created);
    }

    public async Task DeleteAsync(HttpContext context, string actor)
    {
        var group = await lookup.GroupAsync(Route(context, "group"), context.RequestAborted);
        var members = await lookup.Groups.DeleteAsync(group.Id, actor, context.RequestAborted);
        var told = true;
        foreach (var member in members) told &= await team.Invalidation.PublishAsync(member);
        await WriteAsync(context, new AdminGroupChange(Describe(group, []), told), TeamAdminJson.Default.AdminGroupChange);
    }

    public async Task AddMemberAsync(HttpContext context, string actor)
    {
        var body = await BodyAsync(context, TeamAdminJson.Default.MemberRequest);
        if (string.IsNullOrWhiteSpace(body.User)) throw Invalid("Name the member to add as \"user\": their email or id.");
        await ChangeMembershipAsync(context, actor, body.User, add: true);
    }

    public Task RemoveMemberAsync(HttpContext context, string actor) => ChangeMembershipAsync(context, actor, Route(context, "user"), add: false);

    private async Task ChangeMembershipAsync(HttpContext context, string actor, string userNamed, bool add)
    {
        var cancel = context.RequestAborted;
        var group = await lookup.GroupAsync(Route(context, "group"), cancel);
        var user = await lookup.UserAsync(userNamed, cancel);
        if (add) await lookup.Groups.AddMemberAsync(group.Id, user.Id, actor, cancel);
        else await lookup.Groups.RemoveMemberAsync(group.Id, user.Id, actor, cancel);
        var told = await team.Invalidation.PublishAsync(user.Id);
        await WriteAsync(context, new AdminGroupChange(await DescribeAsync(group, cancel), told), TeamAdminJson.Default.AdminGroupChange);
    }

    private async Task<AdminGroup> DescribeAsync(TeamGroup group, CancellationToken cancellationToken)
    {
        var users = (await lookup.Users.ListAsync(cancellationToken)).ToDictionary(user => user.Id);
        var members = (await lookup.Groups.MembershipsAsync(cancellationToken)).Where(m => m.GroupId == group.Id).Select(m => users[m.UserId]);
        return Describe(group, members);
    }

    private static AdminGroup Describe(TeamGroup group, IEnumerable<TeamUser> members) =>
        new(group.Id, group.Name, group.CreatedAt, [.. members.OrderBy(user => user.Email, StringComparer.Ordinal).Select(user => new AdminMember(user.Id, user.Email))]);
}
