using Microsoft.AspNetCore.Http;
using Switchboard.Config;
using Switchboard.Team;
using static Switchboard.Hosting.Team.Admin.TeamAdminLookup;

namespace Switchboard.Hosting.Team.Admin;

/// <summary>
/// <c>/api/team/groups/{group}/policy</c>: what a group may use (provider and model globs) and its own default model,
/// routes and rules. A policy is checked against the config this replica runs (targets must name its providers),
/// audited in its transaction, and announced so every replica applies it at once.
/// </summary>
internal sealed class TeamAdminPolicies(TeamServices team, TeamAdminLookup lookup, ConfigStore config)
{
    private readonly TeamGroupPolicies _policies = new(team.Database);

    public async Task ShowAsync(HttpContext context, string actor)
    {
        var group = await lookup.GroupAsync(Route(context, "group"), context.RequestAborted);
        var policy = await _policies.GetAsync(group.Id, context.RequestAborted) ?? GroupPolicy.Open;
        await WriteAsync(context, Describe(policy), TeamAdminJson.Default.AdminGroupPolicy);
    }

    public async Task SetAsync(HttpContext context, string actor)
    {
        var group = await lookup.GroupAsync(Route(context, "group"), context.RequestAborted);
        var body = await BodyAsync(context, TeamAdminJson.Default.AdminGroupPolicy);
        var policy = new GroupPolicy
        {
            AllowedProviders = body.AllowedProviders ?? [],
            AllowedModels = body.AllowedModels ?? [],
            DefaultModel = body.DefaultModel,
            Routes = body.Routes,
            Rules = body.Rules,
        };
        await _policies.SetAsync(group.Id, policy, config.Current.Config, actor, context.RequestAborted);
        var told = await team.Invalidation.PublishAsync(group.Id);
        await WriteAsync(context, new AdminGroupPolicyChange(group.Name, Describe(policy), told), TeamAdminJson.Default.AdminGroupPolicyChange);
    }

    private static AdminGroupPolicy Describe(GroupPolicy policy) =>
        new([.. policy.AllowedProviders], [.. policy.AllowedModels], policy.DefaultModel, policy.Routes, policy.Rules);
}
