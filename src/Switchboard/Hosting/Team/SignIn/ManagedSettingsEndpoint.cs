using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;
using Switchboard.Team;

namespace Switchboard.Hosting.Team.SignIn;

/// <summary>
/// <c>GET /managed/settings</c> (gateway protocol, "Managed settings"): the caller's merged group settings in the
/// contract's wrapper (<c>uuid</c>, <c>checksum</c>, <c>settings</c>), the checksum quoted as the <c>ETag</c>, a
/// <c>304</c> only for an <c>If-None-Match</c> naming it (never for <c>*</c>, which asks only whether there are
/// settings), and a <c>404</c> when none of the caller's groups sets any, which is not the same as an empty policy.
/// Read from PostgreSQL on each poll: clients poll about once an hour.
/// </summary>
internal sealed class ManagedSettingsEndpoint(TeamServices team)
{
    public const string Path = "/managed/settings";

    private readonly GroupSettings _settings = new(team.Database);

    /// <summary>The settings <paramref name="principal"/> is served now, or null for none.</summary>
    public async Task<(JsonObject Settings, string Checksum)?> ForAsync(TeamPrincipal principal, CancellationToken cancellationToken) =>
        ManagedSettings.Merge(await _settings.OfAsync(principal.GroupIds, cancellationToken)) is { } merged
            ? (merged, ManagedSettings.Checksum(merged))
            : null;

    public async Task HandleAsync(HttpContext context)
    {
        if (TeamCaller.Of(context) is not { } principal || await ForAsync(principal, context.RequestAborted) is not { } served)
        {
            await ErrorReplies.WriteAsync(context, AnthropicError.NotFound("No managed settings apply to this caller: none of their groups sets any."));
            return;
        }
        var (settings, checksum) = served;
        var response = context.Response;
        response.Headers.ETag = $"\"{checksum}\"";
        response.Headers.CacheControl = "private, no-cache";
        var asked = context.Request.Headers.IfNoneMatch.ToString();
        if (asked.Length > 0 && asked.Split(',').Select(tag => tag.Trim().Trim('"')).Any(tag => tag == checksum))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(response.Body);
        json.WriteStartObject();
        json.WriteString("uuid", PolicyId(principal));
        json.WriteString("checksum", checksum);
        json.WritePropertyName("settings");
        settings.WriteTo(json);
        json.WriteEndObject();
    }

    // One id per set of groups: members of the same groups share one policy, whatever its contents now.
    private static string PolicyId(TeamPrincipal principal)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("switchboard-managed-settings:" + string.Join(',', principal.GroupIds.Order())));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
