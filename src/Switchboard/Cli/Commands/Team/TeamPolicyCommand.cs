using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Hosting.Team.Admin;
using static Switchboard.Cli.Commands.Team.TeamArguments;
using static Switchboard.Cli.Commands.Team.TeamGateway;

namespace Switchboard.Cli.Commands.Team;

/// <summary>
/// <c>switchboard team policy show|set</c>: what a group may use and how its requests route. <c>set</c> replaces the
/// whole policy, from options (providers, models, default model) or from a JSON file in the API's shape, which is the
/// way to give a group its own routes and rules.
/// </summary>
internal static class TeamPolicyCommand
{
    public static Command Create(TeamCall.Options options)
    {
        var show = new Command("show", "Show a group's policy.") { Group() };
        options.Act(show, (call, result) => call.GetAsync($"api/team/groups/{Segment(GroupOf(result))}/policy",
            TeamAdminJson.Default.AdminGroupPolicy, policy => Show(call, GroupOf(result), policy)));

        var providers = new Option<string?>("--providers") { Description = "Provider globs the group may use, separated by commas (none: all)." };
        var models = new Option<string?>("--models") { Description = "Model globs the group may use, separated by commas (none: all)." };
        var defaultModel = new Option<string?>("--default-model") { Description = "The group's default model, a target like anthropic:claude-sonnet-4-5." };
        var file = new Option<string?>("--file") { Description = "A JSON file with the whole policy: allowedProviders, allowedModels, defaultModel, routes, rules." };
        var set = new Command("set", "Replace a group's policy.") { Group(), providers, models, defaultModel, file };
        options.Act(set, (call, result) =>
        {
            var policy = result.GetValue(file) is { } path
                ? FromFile(path)
                : new AdminGroupPolicy(Split(result.GetValue(providers)), Split(result.GetValue(models)),
                    result.GetValue(defaultModel), null, null);
            return call.RunAsync(HttpMethod.Put, $"api/team/groups/{Segment(GroupOf(result))}/policy",
                JsonSerializer.Serialize(policy, TeamAdminJson.Default.AdminGroupPolicy), TeamAdminJson.Default.AdminGroupPolicyChange, change =>
                {
                    Show(call, change.Group, change.Policy);
                    call.ToldReplicas(change.ReplicasTold);
                });
        });

        return new Command("policy", "Show or set what a group may use and how it routes.") { show, set };
    }

    private static AdminGroupPolicy FromFile(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), TeamAdminJson.Default.AdminGroupPolicy)
                   ?? throw new JsonException("the file holds null");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new TeamCliException($"--file {path} cannot be used as a policy ({ex.Message.TrimEnd('.')}): write a JSON object with " +
                                       "allowedProviders, allowedModels, defaultModel, routes and rules, as switchboard team policy show --json prints.");
        }
    }

    private static void Show(TeamCall call, string group, AdminGroupPolicy policy)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("group", Markup.Escape(group));
        grid.AddRow("providers", Markup.Escape(All(policy.AllowedProviders)));
        grid.AddRow("models", Markup.Escape(All(policy.AllowedModels)));
        grid.AddRow("default model", Markup.Escape(policy.DefaultModel ?? "(the config's)"));
        grid.AddRow("routes", policy.Routes is null ? "(the config's)" : "own (see --json)");
        grid.AddRow("rules", policy.Rules is null ? "(the config's)" : $"{policy.Rules.Count} own (see --json)");
        call.Console.Write(grid);
    }

    private static string All(List<string>? globs) => globs is null || globs.Count == 0 ? "all" : string.Join(", ", globs);
}
