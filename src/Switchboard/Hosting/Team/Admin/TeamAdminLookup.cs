using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;
using Switchboard.Team;

namespace Switchboard.Hosting.Team.Admin;

/// <summary>
/// Turns what an admin types into rows: a user by id or email, a group by id or name, a key by id or the prefix a
/// listing shows (<c>sb-abcd2345</c>). Anything not found is a 404 that says what was looked for.
/// </summary>
internal sealed class TeamAdminLookup(TeamServices team)
{
    public TeamUsers Users { get; } = new(team.Database);
    public TeamGroups Groups { get; } = new(team.Database);
    public TeamApiKeys Keys { get; } = new(team.Database);

    public async Task<TeamUser> UserAsync(string named, CancellationToken cancellationToken) =>
        (Guid.TryParse(named, out var id) ? await Users.FindAsync(id, cancellationToken) : await Users.FindByEmailAsync(named, cancellationToken))
        ?? throw new AnthropicErrorException(AnthropicError.NotFound(
            $"There is no user {named} (by id or email): see GET {TeamAdminEndpoints.Root}/users or switchboard team users list."));

    public async Task<TeamGroup> GroupAsync(string named, CancellationToken cancellationToken) =>
        (Guid.TryParse(named, out var id) ? await Groups.FindAsync(id, cancellationToken) : await Groups.FindByNameAsync(named, cancellationToken))
        ?? throw new AnthropicErrorException(AnthropicError.NotFound(
            $"There is no group {named} (by id or name): see GET {TeamAdminEndpoints.Root}/groups or switchboard team groups list."));

    public async Task<ApiKeyInfo> KeyAsync(string named, CancellationToken cancellationToken)
    {
        var prefix = named.StartsWith(ApiKeySecret.Scheme, StringComparison.Ordinal) ? named[ApiKeySecret.Scheme.Length..].TrimEnd('-', '…') : named;
        return (Guid.TryParse(named, out var id) ? await Keys.FindAsync(id, cancellationToken) : await Keys.FindByPrefixAsync(prefix, cancellationToken))
            ?? throw new AnthropicErrorException(AnthropicError.NotFound(
                $"There is no key {named} (by id or prefix, like sb-abcd2345): see switchboard team keys list <user>."));
    }

    public async Task<AdminUser> DescribeAsync(TeamUser user, CancellationToken cancellationToken) =>
        AdminUser.Of(user, [.. (await Groups.GroupsOfAsync(user.Id, cancellationToken)).Select(group => group.Name)]);

    /// <summary>The route value <paramref name="name"/>, which routing guarantees is there.</summary>
    public static string Route(HttpContext context, string name) => (string)context.Request.RouteValues[name]!;

    public static async Task<T> BodyAsync<T>(HttpContext context, JsonTypeInfo<T> type) where T : class =>
        await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted)
        ?? throw new AnthropicErrorException(AnthropicError.InvalidRequest($"{context.Request.Path} needs a JSON object as its body."));

    public static Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }

    public static AnthropicErrorException Invalid(string message) => new(AnthropicError.InvalidRequest(message));
}
