using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Hosting.Team.Admin;
using static Switchboard.Cli.Commands.Team.TeamArguments;
using static Switchboard.Cli.Commands.Team.TeamGateway;

namespace Switchboard.Cli.Commands.Team;

/// <summary>
/// <c>switchboard team keys list|create|revoke|rotate</c>. A new key's value is printed once, on a line of its own
/// (easy to copy or to cut out with a script), with the server's notice that it will not be shown again.
/// </summary>
internal static class TeamKeysCommand
{
    public static Command Create(TeamCall.Options options)
    {
        var list = new Command("list", "List a user's keys: prefix, name, scopes, expiry, last use; never the value.") { User() };
        options.Act(list, (call, result) => call.GetAsync($"api/team/users/{Segment(UserOf(result))}/keys", TeamAdminJson.Default.AdminKeyList,
            keys => Show(call, keys.Keys)));

        var name = new Option<string?>("--name") { Description = "What the key is for (like laptop)." };
        var scopes = new Option<string?>("--scopes") { Description = "Scopes, separated by commas." };
        var expires = new Option<DateTimeOffset?>("--expires") { Description = "When it stops working (like 2027-01-31T00:00:00Z)." };
        var create = new Command("create", "Create a key for a user; its value is shown once.") { User(), name, scopes, expires };
        options.Act(create, (call, result) => call.PostAsync($"api/team/users/{Segment(UserOf(result))}/keys",
            JsonSerializer.Serialize(new CreateKeyRequest(result.GetValue(name), Split(result.GetValue(scopes)), result.GetValue(expires)),
                TeamAdminJson.Default.CreateKeyRequest),
            TeamAdminJson.Default.AdminCreatedKey, created => ShowCreated(call, created)));

        var revoke = new Command("revoke", "Revoke a key: every replica refuses it at once.") { Key() };
        options.Act(revoke, (call, result) => call.PostAsync($"api/team/keys/{Segment(KeyOf(result))}/revoke", null,
            TeamAdminJson.Default.AdminKeyChange, change =>
            {
                Show(call, [change.Key]);
                call.ToldReplicas(change.ReplicasTold);
            }));

        var rotate = new Command("rotate", "Replace a key by a new one (same user, name, scopes, expiry); the old one is revoked.") { Key() };
        options.Act(rotate, (call, result) => call.PostAsync($"api/team/keys/{Segment(KeyOf(result))}/rotate", null,
            TeamAdminJson.Default.AdminCreatedKey, created => ShowCreated(call, created)));

        return new Command("keys", "Manage users' Switchboard keys.") { list, create, revoke, rotate };
    }

    private static void ShowCreated(TeamCall call, AdminCreatedKey created)
    {
        Show(call, [created.Info]);
        // Written as plain text: markup could mangle it, and a script can take the line that follows "key:".
        call.Console.WriteLine("key:");
        call.Console.WriteLine(created.Key);
        call.Console.WriteLine(created.Notice);
        call.ToldReplicas(created.ReplicasTold);
    }

    private static void Show(TeamCall call, List<AdminKey> keys)
    {
        var table = new Table().AddColumns("key", "name", "scopes", "expires", "last used", "state", "id");
        foreach (var key in keys)
            table.AddRow(Markup.Escape(key.Shown), Markup.Escape(key.Name), Markup.Escape(string.Join(", ", key.Scopes)), When(key.ExpiresAt),
                When(key.LastUsedAt), key.Revoked ? "[red]revoked[/]" : "active", key.Id.ToString());
        if (keys.Count == 0) table.AddRow("[grey](no keys)[/]");
        call.Console.Write(table);
    }

    private static string When(DateTimeOffset? time) => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "-";
}
