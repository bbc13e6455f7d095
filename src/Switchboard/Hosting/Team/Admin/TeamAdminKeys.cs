using Microsoft.AspNetCore.Http;
using Switchboard.Team;
using static Switchboard.Hosting.Team.Admin.TeamAdminLookup;

namespace Switchboard.Hosting.Team.Admin;

/// <summary>
/// <c>/api/team/users/{user}/keys</c> and <c>/api/team/keys/{key}</c>: create (the value is in that answer only),
/// list with prefixes, revoke, rotate. A revoked or rotated key is announced to every replica after the commit.
/// </summary>
internal sealed class TeamAdminKeys(TeamServices team, TeamAdminLookup lookup)
{
    public const string ShownOnce = "This key is shown once and cannot be shown again: store it now (Switchboard keeps only its hash).";

    public async Task ListAsync(HttpContext context, string actor)
    {
        var user = await lookup.UserAsync(Route(context, "user"), context.RequestAborted);
        var keys = await lookup.Keys.ListAsync(user.Id, context.RequestAborted);
        await WriteAsync(context, new AdminKeyList([.. keys.Select(AdminKey.Of)]), TeamAdminJson.Default.AdminKeyList);
    }

    public async Task CreateAsync(HttpContext context, string actor)
    {
        var body = await BodyAsync(context, TeamAdminJson.Default.CreateKeyRequest);
        if (body.ExpiresAt is { } expires && expires <= DateTimeOffset.UtcNow)
            throw Invalid($"\"expiresAt\" ({expires:O}) is in the past: give a time to come, or leave it out for a key that does not expire.");
        var user = await lookup.UserAsync(Route(context, "user"), context.RequestAborted);
        var created = await lookup.Keys.CreateAsync(user.Id, body.Name?.Trim() ?? "", body.Scopes ?? [], body.ExpiresAt, actor, context.RequestAborted);
        await WriteAsync(context, new AdminCreatedKey(created.Key, AdminKey.Of(created.Info), ShownOnce, null, null),
            TeamAdminJson.Default.AdminCreatedKey, StatusCodes.Status201Created);
    }

    public async Task RevokeAsync(HttpContext context, string actor)
    {
        var key = await lookup.KeyAsync(Route(context, "key"), context.RequestAborted);
        var revoked = await lookup.Keys.RevokeAsync(key.Id, actor, context.RequestAborted);
        var told = await team.Invalidation.PublishAsync(key.Id);
        await WriteAsync(context, new AdminKeyChange(AdminKey.Of(revoked), told), TeamAdminJson.Default.AdminKeyChange);
    }

    public async Task RotateAsync(HttpContext context, string actor)
    {
        var key = await lookup.KeyAsync(Route(context, "key"), context.RequestAborted);
        var created = await lookup.Keys.RotateAsync(key.Id, actor, context.RequestAborted);
        var told = await team.Invalidation.PublishAsync(key.Id);
        await WriteAsync(context, new AdminCreatedKey(created.Key, AdminKey.Of(created.Info), ShownOnce, key.Id, told), TeamAdminJson.Default.AdminCreatedKey);
    }
}
