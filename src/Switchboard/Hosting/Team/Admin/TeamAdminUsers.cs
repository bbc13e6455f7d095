using Microsoft.AspNetCore.Http;
using Switchboard.Team;
using static Switchboard.Hosting.Team.Admin.TeamAdminLookup;

namespace Switchboard.Hosting.Team.Admin;

/// <summary><c>/api/team/users</c>: create, list, show, disable and enable, set the role.</summary>
internal sealed class TeamAdminUsers(TeamServices team, TeamAdminLookup lookup, Func<string?> publicUrl)
{
    private static readonly string[] Roles = [TeamUser.Member, TeamUser.Admin];

    public async Task ListAsync(HttpContext context, string actor)
    {
        var cancel = context.RequestAborted;
        var users = await lookup.Users.ListAsync(cancel);
        var groups = (await lookup.Groups.ListAsync(cancel)).ToDictionary(group => group.Id, group => group.Name);
        var memberships = (await lookup.Groups.MembershipsAsync(cancel)).ToLookup(m => m.UserId, m => groups[m.GroupId]);
        await WriteAsync(context, new AdminUserList([.. users.Select(user => AdminUser.Of(user, [.. memberships[user.Id].Order(StringComparer.Ordinal)]))]),
            TeamAdminJson.Default.AdminUserList);
    }

    public async Task CreateAsync(HttpContext context, string actor)
    {
        var body = await BodyAsync(context, TeamAdminJson.Default.CreateUserRequest);
        if (string.IsNullOrWhiteSpace(body.Email) || !body.Email.Contains('@', StringComparison.Ordinal))
            throw Invalid("A new user needs an \"email\" (like ada@example.com); \"displayName\" and \"role\" (member or admin) are optional.");
        var role = CheckedRole(body.Role ?? TeamUser.Member);
        var user = await lookup.Users.CreateAsync(body.Email.Trim(), body.DisplayName?.Trim() ?? "", role, actor, context.RequestAborted);
        await WriteAsync(context, new AdminUserChange(AdminUser.Of(user, []), null), TeamAdminJson.Default.AdminUserChange, StatusCodes.Status201Created);
    }

    public async Task ShowAsync(HttpContext context, string actor)
    {
        var user = await lookup.UserAsync(Route(context, "user"), context.RequestAborted);
        await WriteAsync(context, new AdminUserChange(await lookup.DescribeAsync(user, context.RequestAborted), null), TeamAdminJson.Default.AdminUserChange);
    }

    public async Task SetDisabledAsync(HttpContext context, string actor, bool disabled)
    {
        var user = await lookup.UserAsync(Route(context, "user"), context.RequestAborted);
        user = disabled
            ? await lookup.Users.DisableAsync(user.Id, actor, context.RequestAborted)
            : await lookup.Users.EnableAsync(user.Id, actor, context.RequestAborted);
        await AnswerChangedAsync(context, user);
    }

    public async Task SetRoleAsync(HttpContext context, string actor)
    {
        var body = await BodyAsync(context, TeamAdminJson.Default.SetRoleRequest);
        var role = CheckedRole(body.Role);
        var user = await lookup.UserAsync(Route(context, "user"), context.RequestAborted);
        await AnswerChangedAsync(context, await lookup.Users.SetRoleAsync(user.Id, role, actor, context.RequestAborted));
    }

    /// <summary>Sets a local password the user signs in to the verification page with (teams without an identity provider).</summary>
    public async Task SetPasswordAsync(HttpContext context, string actor)
    {
        var body = await BodyAsync(context, TeamAdminJson.Default.SetPasswordRequest);
        if (PasswordHash.Problem(body.Password) is { } problem) throw Invalid($"{problem} Send it as {{\"password\": \"…\"}}.");
        var user = await lookup.UserAsync(Route(context, "user"), context.RequestAborted);
        await new LocalAccounts(team.Database).SetPasswordAsync(user.Id, body.Password!, actor, context.RequestAborted);
        await WriteAsync(context, new AdminPasswordSet(user.Id, user.Email), TeamAdminJson.Default.AdminPasswordSet);
    }

    /// <summary>A one-time link (a week) the user opens to set their own password.</summary>
    public async Task InviteAsync(HttpContext context, string actor)
    {
        var user = await lookup.UserAsync(Route(context, "user"), context.RequestAborted);
        var (token, expires) = await new LocalAccounts(team.Database).InviteAsync(user.Id, actor, DateTimeOffset.UtcNow, context.RequestAborted);
        var origin = publicUrl()?.TrimEnd('/') ?? $"{context.Request.Scheme}://{context.Request.Host.Value}";
        await WriteAsync(context, new AdminInvite(user.Id, user.Email, $"{origin}{SignIn.DevicePage.InvitePath}?token={token}", expires),
            TeamAdminJson.Default.AdminInvite, StatusCodes.Status201Created);
    }

    // Told after the commit: a replica that drops its entry earlier could read the old row back into its cache.
    private async Task AnswerChangedAsync(HttpContext context, TeamUser user)
    {
        var told = await team.Invalidation.PublishAsync(user.Id);
        await WriteAsync(context, new AdminUserChange(await lookup.DescribeAsync(user, context.RequestAborted), told), TeamAdminJson.Default.AdminUserChange);
    }

    private static string CheckedRole(string? role) => role is not null && Roles.Contains(role)
        ? role
        : throw Invalid($"\"role\" must be member or admin{(role is null ? "" : $", not {role}")}.");
}
