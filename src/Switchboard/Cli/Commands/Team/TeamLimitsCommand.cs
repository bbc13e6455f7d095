using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Hosting.Team.Admin;
using Switchboard.Team;

namespace Switchboard.Cli.Commands.Team;

/// <summary><c>switchboard team limits list|set|delete</c>, over <c>/api/team/limits</c>: spend caps and rate limits.</summary>
internal static class TeamLimitsCommand
{
    public static Command Create(TeamCall.Options options)
    {
        var list = new Command("list", "List every limit on users, groups and keys.");
        options.Act(list, async (call, _) =>
        {
            var text = await call.Gateway.SendAsync(HttpMethod.Get, "api/team/limits", null, call.Cancel);
            if (call.Json) Console.Out.WriteLine(text);
            else
            {
                var limits = call.Gateway.Parse(text, TeamAdminJson.Default.AdminLimitList).Limits;
                Show(call, limits, await NamesAsync(call, keys: limits.Any(limit => limit.Subject == "key")));
            }
        });

        var subject = new Argument<string>("subject") { Description = "What the limit is on: user, group or key." };
        subject.AcceptOnlyFromAmong(TeamLimit.User, TeamLimit.Group, TeamLimit.Key);
        var of = new Argument<string>("of") { Description = "Which one: the email, group name, key prefix (sb-abcd2345) or id." };
        var kind = new Argument<string>("kind") { Description = "spend_usd, requests_per_minute, tokens_per_minute or concurrent_requests." };
        var amount = new Argument<decimal>("amount") { Description = "The cap: US dollars for spend_usd, else a count." };
        var period = new Option<string?>("--period") { Description = "For spend_usd: day, week or month." };
        period.AcceptOnlyFromAmong(TeamLimit.Day, TeamLimit.Week, TeamLimit.Month);
        var set = new Command("set", "Set a limit (or change the amount of one already set).") { subject, of, kind, amount, period };
        options.Act(set, (call, result) => call.RunAsync(HttpMethod.Put, "api/team/limits",
            JsonSerializer.Serialize(new SetLimitRequest(result.GetValue(subject), result.GetValue(of), result.GetValue(kind), result.GetValue(period),
                result.GetValue(amount)), TeamAdminJson.Default.SetLimitRequest),
            TeamAdminJson.Default.AdminLimitChange, change =>
            {
                Show(call, [change.Limit!], new() { [change.Limit!.SubjectId] = result.GetValue(of)! });
                call.ToldReplicas(change.ReplicasTold);
            }));

        var id = new Argument<string>("id") { Description = "The limit's id, as list shows it." };
        var delete = new Command("delete", "Delete a limit.") { id };
        options.Act(delete, (call, result) => call.RunAsync(HttpMethod.Delete, $"api/team/limits/{TeamGateway.Segment(result.GetValue(id)!)}", null,
            TeamAdminJson.Default.AdminLimitChange, change =>
            {
                call.Console.MarkupLineInterpolated($"deleted limit {result.GetValue(id)}");
                call.ToldReplicas(change.ReplicasTold);
            }));

        return new Command("limits", "Manage spend caps and rate limits.") { list, set, delete };
    }

    /// <summary>
    /// Users by email, groups by name and keys by their owner and visible prefix (<c>ada@example.com sb-abcd2345-…</c>),
    /// so a table says whose limit it is. Keys are listed per user, so only when a limit is on a key.
    /// </summary>
    private static async Task<Dictionary<Guid, string>> NamesAsync(TeamCall call, bool keys)
    {
        var users = await call.Gateway.SendAsync(HttpMethod.Get, "api/team/users", null, TeamAdminJson.Default.AdminUserList, call.Cancel);
        var groups = await call.Gateway.SendAsync(HttpMethod.Get, "api/team/groups", null, TeamAdminJson.Default.AdminGroupList, call.Cancel);
        var names = users.Users.Select(user => (user.Id, Name: user.Email)).Concat(groups.Groups.Select(group => (group.Id, group.Name)))
            .ToDictionary(pair => pair.Id, pair => pair.Name);
        if (!keys) return names;
        foreach (var user in users.Users)
        {
            var owned = await call.Gateway.SendAsync(HttpMethod.Get, $"api/team/users/{user.Id}/keys", null, TeamAdminJson.Default.AdminKeyList, call.Cancel);
            foreach (var key in owned.Keys) names[key.Id] = $"{user.Email} {key.Shown}";
        }
        return names;
    }

    private static void Show(TeamCall call, List<AdminLimit> limits, Dictionary<Guid, string> names)
    {
        var table = new Table().AddColumns("on", "subject", "kind", "period", "amount", "id");
        table.Columns[4].RightAligned();
        foreach (var limit in limits)
            table.AddRow(limit.Subject, Markup.Escape(names.GetValueOrDefault(limit.SubjectId) ?? limit.SubjectId.ToString()), limit.Kind, limit.Period ?? "-",
                limit.Amount.ToString(limit.Kind == TeamLimit.SpendUsd ? "$0.00##" : "0.##", CultureInfo.InvariantCulture), limit.Id.ToString());
        if (limits.Count == 0) table.AddRow("[grey](no limits)[/]");
        call.Console.Write(table);
    }
}
