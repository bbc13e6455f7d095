using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Hosting.Team.Admin;
using static Switchboard.Cli.Commands.Team.TeamArguments;
using static Switchboard.Cli.Commands.Team.TeamGateway;

namespace Switchboard.Cli.Commands.Team;

/// <summary><c>switchboard team users list|create|show|disable|enable|role</c>, over <c>/api/team/users</c>.</summary>
internal static class TeamUsersCommand
{
    public static Command Create(TeamCall.Options options)
    {
        var list = new Command("list", "List the team's users, their role and groups.");
        options.Act(list, (call, _) => call.GetAsync("api/team/users", TeamAdminJson.Default.AdminUserList, users => Show(call, users.Users)));

        var email = new Argument<string>("email") { Description = "The new user's email." };
        var name = new Option<string?>("--name") { Description = "Their display name." };
        var role = new Option<string?>("--role") { Description = "member (the default) or admin." };
        var create = new Command("create", "Create a user (then give them a key: switchboard team keys create <email>).") { email, name, role };
        options.Act(create, (call, result) => call.PostAsync("api/team/users",
            JsonSerializer.Serialize(new CreateUserRequest(result.GetValue(email), result.GetValue(name), result.GetValue(role)), TeamAdminJson.Default.CreateUserRequest),
            TeamAdminJson.Default.AdminUserChange, change => Show(call, [change.User])));

        var show = new Command("show", "Show one user.") { User() };
        options.Act(show, (call, result) => call.GetAsync($"api/team/users/{Segment(UserOf(result))}", TeamAdminJson.Default.AdminUserChange,
            change => Show(call, [change.User])));

        var newRole = new Argument<string>("role") { Description = "member or admin." };
        var setRole = new Command("role", "Set a user's role.") { User(), newRole };
        options.Act(setRole, (call, result) => Change(call, $"{Segment(UserOf(result))}/role",
            JsonSerializer.Serialize(new SetRoleRequest(result.GetValue(newRole)), TeamAdminJson.Default.SetRoleRequest)));

        // Read from standard input (never an argument: arguments show in ps and shell history).
        var password = new Command("password", "Set the password a user signs in with on the gateway's sign-in page (read from standard input).") { User() };
        options.Act(password, (call, result) => call.PostAsync($"api/team/users/{Segment(UserOf(result))}/password",
            JsonSerializer.Serialize(new SetPasswordRequest(ReadPassword(call)), TeamAdminJson.Default.SetPasswordRequest),
            TeamAdminJson.Default.AdminPasswordSet, set => call.Console.MarkupLine($"Password set for {Markup.Escape(set.Email)}.")));

        var invite = new Command("invite", "Make a one-time link (valid a week) the user opens to set their own password.") { User() };
        options.Act(invite, (call, result) => call.PostAsync($"api/team/users/{Segment(UserOf(result))}/invite", null,
            TeamAdminJson.Default.AdminInvite, made =>
            {
                call.Console.MarkupLine($"Invite for {Markup.Escape(made.Email)}, valid until {made.ExpiresAt:u} and once (shown only now):");
                call.Console.WriteLine(made.Url);
            }));

        return new Command("users", "Manage the team's users.") { list, create, show, Toggle(options, "disable", "Disable a user: their keys stop working at once."),
            Toggle(options, "enable", "Enable a disabled user again."), setRole, password, invite };
    }

    private static string ReadPassword(TeamCall call) => Console.IsInputRedirected
        ? Console.In.ReadLine() ?? ""
        : call.Console.Prompt(new TextPrompt<string>("New password:").Secret());

    private static Command Toggle(TeamCall.Options options, string verb, string description)
    {
        var command = new Command(verb, description) { User() };
        options.Act(command, (call, result) => Change(call, $"{Segment(UserOf(result))}/{verb}", null));
        return command;
    }

    private static Task Change(TeamCall call, string path, string? body) =>
        call.PostAsync($"api/team/users/{path}", body, TeamAdminJson.Default.AdminUserChange, change =>
        {
            Show(call, [change.User]);
            call.ToldReplicas(change.ReplicasTold);
        });

    private static void Show(TeamCall call, List<AdminUser> users)
    {
        var table = new Table().AddColumns("email", "name", "role", "groups", "state", "id");
        foreach (var user in users)
            table.AddRow(Markup.Escape(user.Email), Markup.Escape(user.DisplayName), user.Role, Markup.Escape(string.Join(", ", user.Groups)),
                user.Disabled ? "[red]disabled[/]" : "active", user.Id.ToString());
        if (users.Count == 0) table.AddRow("[grey](no users)[/]");
        call.Console.Write(table);
    }
}
