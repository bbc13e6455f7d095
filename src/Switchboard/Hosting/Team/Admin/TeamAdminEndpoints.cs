using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Team;

namespace Switchboard.Hosting.Team.Admin;

/// <summary>
/// The admin API under <c>/api/team</c>, mapped only in team mode. Every call needs the operator key (<c>apiKey</c>)
/// or the key of a user whose role is <c>admin</c>; <see cref="TeamGate"/> has already said who is calling. Changes
/// go through the stores, which write their audit row in the change's own transaction, with the admin's user id (or
/// <c>operator</c>) as the actor. A change that alters what a replica has cached is announced to every replica after
/// it commits, and the answer says whether Redis carried it (<c>replicasTold</c>).
/// </summary>
internal sealed class TeamAdminEndpoints
{
    public const string Root = "/api/team";

    /// <summary>The actor audit rows name for the operator key, which belongs to no user.</summary>
    public const string OperatorActor = "operator";

    private static readonly AnthropicError NeedsAdmin = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission,
        "The team admin API needs an admin key: the gateway's operator key (apiKey in its config) or the key of a user " +
        "whose role is admin (switchboard team users role <email> admin).") { ShouldRetry = false };

    public static void Map(WebApplication app, TeamServices? team, ConfigStore config)
    {
        if (team is null) return;
        var lookup = new TeamAdminLookup(team);
        var limits = new TeamAdminLimits(team, lookup);
        var policies = new TeamAdminPolicies(team, lookup, config);
        app.MapGet($"{Root}/limits", Admin(limits.ListAsync));
        app.MapPut($"{Root}/limits", Admin(limits.SetAsync));
        app.MapDelete($"{Root}/limits/{{limit}}", Admin(limits.DeleteAsync));
        app.MapGet($"{Root}/groups/{{group}}/policy", Admin(policies.ShowAsync));
        app.MapPut($"{Root}/groups/{{group}}/policy", Admin(policies.SetAsync));
        var settings = new TeamAdminSettings(team, lookup);
        app.MapGet($"{Root}/groups/{{group}}/settings", Admin(settings.ShowAsync));
        app.MapPut($"{Root}/groups/{{group}}/settings", Admin(settings.SetAsync));
        app.MapDelete($"{Root}/groups/{{group}}/settings", Admin(settings.ClearAsync));
        app.MapGet($"{Root}/settings/reports", Admin(settings.ReportsAsync));
        app.MapGet($"{Root}/telemetry", Admin(new TeamAdminTelemetry(team).ShowAsync));
        var users = new TeamAdminUsers(team, lookup, () => EnvExpander.Expand(config.Current.Config.Team?.PublicUrl ?? "") is { Length: > 0 } url ? url : null);
        var groups = new TeamAdminGroups(team, lookup);
        var keys = new TeamAdminKeys(team, lookup);
        app.MapGet($"{Root}/users", Admin(users.ListAsync));
        app.MapPost($"{Root}/users", Admin(users.CreateAsync));
        app.MapGet($"{Root}/users/{{user}}", Admin(users.ShowAsync));
        app.MapPost($"{Root}/users/{{user}}/disable", Admin((context, actor) => users.SetDisabledAsync(context, actor, disabled: true)));
        app.MapPost($"{Root}/users/{{user}}/enable", Admin((context, actor) => users.SetDisabledAsync(context, actor, disabled: false)));
        app.MapPost($"{Root}/users/{{user}}/role", Admin(users.SetRoleAsync));
        app.MapPost($"{Root}/users/{{user}}/password", Admin(users.SetPasswordAsync));
        app.MapPost($"{Root}/users/{{user}}/invite", Admin(users.InviteAsync));
        app.MapGet($"{Root}/users/{{user}}/keys", Admin(keys.ListAsync));
        app.MapPost($"{Root}/users/{{user}}/keys", Admin(keys.CreateAsync));
        app.MapPost($"{Root}/keys/{{key}}/revoke", Admin(keys.RevokeAsync));
        app.MapPost($"{Root}/keys/{{key}}/rotate", Admin(keys.RotateAsync));
        app.MapGet($"{Root}/groups", Admin(groups.ListAsync));
        app.MapPost($"{Root}/groups", Admin(groups.CreateAsync));
        app.MapDelete($"{Root}/groups/{{group}}", Admin(groups.DeleteAsync));
        app.MapPost($"{Root}/groups/{{group}}/members", Admin(groups.AddMemberAsync));
        app.MapDelete($"{Root}/groups/{{group}}/members/{{user}}", Admin(groups.RemoveMemberAsync));
    }

    /// <summary>Who the audit log names for this request, or null when the caller is no admin.</summary>
    public static string? ActorOf(HttpContext context) =>
        TeamCaller.IsOperator(context) ? OperatorActor
        : TeamCaller.Of(context) is { IsAdmin: true } admin ? admin.UserId.ToString()
        : null;

    private static RequestDelegate Admin(Func<HttpContext, string, Task> handle) => async context =>
    {
        if (ActorOf(context) is not { } actor)
        {
            await ErrorReplies.WriteAsync(context, NeedsAdmin);
            return;
        }
        AnthropicError error;
        try
        {
            await handle(context, actor);
            return;
        }
        catch (AnthropicErrorException ex) { error = ex.Error; }
        catch (TeamStoreException ex)
        {
            error = ex.Failure switch
            {
                TeamStoreFailure.NotFound => AnthropicError.NotFound(ex.Message),
                TeamStoreFailure.Conflict => new AnthropicError(StatusCodes.Status409Conflict, ErrorTypes.InvalidRequest, ex.Message),
                TeamStoreFailure.Invalid => AnthropicError.InvalidRequest(ex.Message),
                _ => AnthropicError.Api(ex.Message, StatusCodes.Status503ServiceUnavailable),
            };
        }
        catch (NpgsqlException)
        {
            error = AnthropicError.Api("The team database (PostgreSQL) did not answer, so nothing was changed: check that it runs " +
                                       "and try again (GET /health shows whether it answers).", StatusCodes.Status503ServiceUnavailable);
        }
        catch (JsonException ex)
        {
            error = AnthropicError.InvalidRequest($"The body of {context.Request.Method} {context.Request.Path} is not the JSON expected: {ex.Message}");
        }
        await ErrorReplies.WriteAsync(context, error);
    };
}
