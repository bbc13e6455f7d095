using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Switchboard.Cli.Commands.Team.TeamArguments;
using static Switchboard.Cli.Commands.Team.TeamGateway;

namespace Switchboard.Cli.Commands.Team;

/// <summary>
/// <c>switchboard team settings show|set|clear|reports</c>: the Claude Code managed settings a group's members are
/// served on <c>/managed/settings</c>, and the checksums their sessions report (current or stale). The answers are
/// the gateway's JSON, printed as it came: settings are JSON already.
/// </summary>
internal static class TeamSettingsCommand
{
    public static Command Create(TeamCall.Options options)
    {
        var show = new Command("show", "Show a group's managed settings and their checksum.") { Group() };
        options.Act(show, (call, result) => PrintAsync(call, HttpMethod.Get, $"api/team/groups/{Segment(GroupOf(result))}/settings", null));

        var file = new Argument<string>("file") { Description = "A managed-settings.json file, or - for standard input." };
        var set = new Command("set", "Replace a group's managed settings with a managed-settings.json object.") { Group(), file };
        options.Act(set, (call, result) => PrintAsync(call, HttpMethod.Put, $"api/team/groups/{Segment(GroupOf(result))}/settings", Read(result.GetValue(file)!)));

        var clear = new Command("clear", "Remove a group's managed settings.") { Group() };
        options.Act(clear, (call, result) => PrintAsync(call, HttpMethod.Delete, $"api/team/groups/{Segment(GroupOf(result))}/settings", null));

        var reports = new Command("reports", "The settings checksums members' sessions report, each marked current or stale.");
        options.Act(reports, (call, _) => PrintAsync(call, HttpMethod.Get, "api/team/settings/reports", null));

        return new Command("settings", "Claude Code managed settings per group, and which machines run stale ones.") { show, set, clear, reports };
    }

    private static async Task PrintAsync(TeamCall call, HttpMethod method, string path, string? body)
    {
        var text = await call.Gateway.SendAsync(method, path, body, call.Cancel);
        Console.Out.WriteLine(call.Json ? text : JsonNode.Parse(text)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? text);
    }

    private static string Read(string path)
    {
        try
        {
            var text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
            return JsonNode.Parse(text) is JsonObject ? text : throw new JsonException("it is not a JSON object");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new TeamCliException($"{path} cannot be used as managed settings ({ex.Message.TrimEnd('.')}): write the JSON object a managed-settings.json holds.");
        }
    }
}
