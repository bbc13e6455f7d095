using System.CommandLine;

namespace Switchboard.Cli.Commands.Team;

/// <summary>The arguments several <c>switchboard team</c> subcommands take, named and described once.</summary>
internal static class TeamArguments
{
    public static Argument<string> User() => new("user") { Description = "The user's email or id." };

    public static Argument<string> Group() => new("group") { Description = "The group's name or id." };

    public static Argument<string> Key() => new("key") { Description = "The key's prefix as listed (sb-abcd2345) or its id." };

    public static string UserOf(ParseResult result) => result.GetRequiredValue<string>("user");

    public static string GroupOf(ParseResult result) => result.GetRequiredValue<string>("group");

    public static string KeyOf(ParseResult result) => result.GetRequiredValue<string>("key");

    /// <summary>A comma-separated option as a list (null when the option was not given).</summary>
    public static List<string>? Split(string? list) =>
        list is null ? null : [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
}
