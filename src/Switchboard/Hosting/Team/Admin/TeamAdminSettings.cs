using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Switchboard.Hosting.Team.SignIn;
using Switchboard.Team;
using static Switchboard.Hosting.Team.Admin.TeamAdminLookup;

namespace Switchboard.Hosting.Team.Admin;

/// <summary>
/// <c>/api/team/groups/{group}/settings</c>: a group's Claude Code managed settings (a <c>managed-settings.json</c>
/// object), and <c>/api/team/settings/reports</c>: the checksums members' sessions report, each marked current when
/// it is what that member is served now, so stale, edited or unmanaged machines stand out.
/// </summary>
internal sealed class TeamAdminSettings(TeamServices team, TeamAdminLookup lookup)
{
    private readonly GroupSettings _settings = new(team.Database);

    public async Task ShowAsync(HttpContext context, string actor)
    {
        var group = await lookup.GroupAsync(Route(context, "group"), context.RequestAborted);
        var settings = await _settings.GetAsync(group.Id, context.RequestAborted);
        await WriteJsonAsync(context, json =>
        {
            json.WriteString("group", group.Name);
            json.WritePropertyName("settings");
            if (settings is null) json.WriteNullValue(); else settings.WriteTo(json);
            if (settings is not null) json.WriteString("checksum", ManagedSettings.Checksum(settings));
        });
    }

    public async Task SetAsync(HttpContext context, string actor)
    {
        var group = await lookup.GroupAsync(Route(context, "group"), context.RequestAborted);
        JsonNode? body;
        try { body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted); }
        catch (JsonException ex) { throw Invalid($"The body is not JSON ({ex.Message}): send the group's managed-settings.json object."); }
        if (body is not JsonObject settings)
            throw Invalid("Send the group's managed settings as a JSON object (what managed-settings.json holds), such as {\"env\": {\"CLAUDE_CODE_GATEWAY_HINT_HEADERS\": \"1\"}}.");
        await _settings.SetAsync(group.Id, settings, actor, context.RequestAborted);
        await ShowAsync(context, actor);
    }

    public async Task ClearAsync(HttpContext context, string actor)
    {
        var group = await lookup.GroupAsync(Route(context, "group"), context.RequestAborted);
        await _settings.SetAsync(group.Id, null, actor, context.RequestAborted);
        await ShowAsync(context, actor);
    }

    public async Task ReportsAsync(HttpContext context, string actor)
    {
        await team.Authenticator.FlushActivityAsync(context.RequestAborted);
        var reports = await SettingsReports.ListAsync(team.Database, context.RequestAborted);
        var groups = await lookup.Groups.MembershipsAsync(context.RequestAborted);
        var served = new Dictionary<Guid, string?>();
        var endpoint = new ManagedSettingsEndpoint(team);
        foreach (var user in reports.Select(report => report.UserId).Distinct())
        {
            var ids = groups.Where(m => m.UserId == user).Select(m => m.GroupId).ToList();
            var principal = new TeamPrincipal(user, "", "", TeamUser.Member, ids, [], Guid.Empty, "", []);
            served[user] = (await endpoint.ForAsync(principal, context.RequestAborted))?.Checksum;
        }
        await WriteJsonAsync(context, json =>
        {
            json.WriteStartArray("reports");
            foreach (var report in reports)
            {
                json.WriteStartObject();
                json.WriteString("email", report.Email);
                json.WriteString("checksum", report.Checksum);
                json.WriteBoolean("current", served[report.UserId] == report.Checksum);
                json.WriteString("firstSeen", report.FirstSeen);
                json.WriteString("lastSeen", report.LastSeen);
                json.WriteNumber("requests", report.Requests);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        });
    }

    private static async Task WriteJsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        write(json);
        json.WriteEndObject();
    }
}
