using Microsoft.AspNetCore.Http;
using Switchboard.Team;
using static Switchboard.Hosting.Team.Admin.TeamAdminLookup;

namespace Switchboard.Hosting.Team.Admin;

/// <summary>
/// <c>/api/team/limits</c>: list, set (create or replace the amount) and delete the caps on users, groups and keys.
/// A change is audited in its transaction and announced, so every replica reads the limits afresh at once.
/// </summary>
internal sealed class TeamAdminLimits(TeamServices team, TeamAdminLookup lookup)
{
    private readonly TeamLimits _limits = new(team.Database);

    public async Task ListAsync(HttpContext context, string actor)
    {
        var limits = await _limits.ListAsync(cancellationToken: context.RequestAborted);
        await WriteAsync(context, new AdminLimitList([.. limits.Select(Describe)]), TeamAdminJson.Default.AdminLimitList);
    }

    public async Task SetAsync(HttpContext context, string actor)
    {
        var body = await BodyAsync(context, TeamAdminJson.Default.SetLimitRequest);
        if (body.Subject is not { } subject || string.IsNullOrWhiteSpace(body.Of) || body.Kind is not { } kind || body.Amount is not { } amount)
            throw Invalid("A limit needs \"subject\" (user, group or key), \"of\" (the email, group name, key prefix or id), " +
                          "\"kind\" (spend_usd, requests_per_minute, tokens_per_minute or concurrent_requests), \"amount\", " +
                          "and for spend_usd a \"period\" (day, week or month).");
        var subjectId = await SubjectIdAsync(subject, body.Of, context.RequestAborted);
        var limit = await _limits.SetAsync(subject, subjectId, kind, body.Period, amount, context.RequestAborted, actor);
        var told = await team.Invalidation.PublishAsync(limit.Id);
        await WriteAsync(context, new AdminLimitChange(Describe(limit), Deleted: false, told), TeamAdminJson.Default.AdminLimitChange);
    }

    public async Task DeleteAsync(HttpContext context, string actor)
    {
        if (!Guid.TryParse(Route(context, "limit"), out var id))
            throw Invalid($"Name the limit by its id, as GET {TeamAdminEndpoints.Root}/limits lists it.");
        if (!await _limits.DeleteAsync(id, actor, context.RequestAborted))
            throw new TeamStoreException($"There is no limit {id}: see GET {TeamAdminEndpoints.Root}/limits.", failure: TeamStoreFailure.NotFound);
        var told = await team.Invalidation.PublishAsync(id);
        await WriteAsync(context, new AdminLimitChange(null, Deleted: true, told), TeamAdminJson.Default.AdminLimitChange);
    }

    private async Task<Guid> SubjectIdAsync(string subject, string named, CancellationToken cancellationToken) => subject switch
    {
        TeamLimit.User => (await lookup.UserAsync(named, cancellationToken)).Id,
        TeamLimit.Group => (await lookup.GroupAsync(named, cancellationToken)).Id,
        TeamLimit.Key => (await lookup.KeyAsync(named, cancellationToken)).Id,
        _ => throw Invalid($"A limit is set on a user, a group or a key, not a '{subject}'."),
    };

    private static AdminLimit Describe(TeamLimit limit) =>
        new(limit.Id, limit.SubjectKind, limit.SubjectId, limit.Kind, limit.Period, limit.Amount);
}
