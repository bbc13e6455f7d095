using System.CommandLine;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Switchboard.Config;

namespace Switchboard.Cli.Commands.Team;

/// <summary>
/// One run of a <c>switchboard team</c> subcommand: the gateway it talks to, whether to print JSON, and where to
/// print. <see cref="Options"/> declares the shared options once, on <c>team</c>, for every subcommand below it.
/// </summary>
internal sealed class TeamCall(TeamGateway gateway, bool json, IAnsiConsole console, CancellationToken cancellationToken)
{
    public TeamGateway Gateway => gateway;
    public IAnsiConsole Console => console;
    public bool Json => json;
    public CancellationToken Cancel => cancellationToken;

    /// <summary>Sends the call; prints the answer as it came with <c>--json</c>, else hands it to <paramref name="show"/>.</summary>
    public async Task RunAsync<T>(HttpMethod method, string path, string? body, JsonTypeInfo<T> type, Action<T> show)
    {
        var text = await gateway.SendAsync(method, path, body, cancellationToken);
        if (json) System.Console.Out.WriteLine(text);
        else show(gateway.Parse(text, type));
    }

    public Task GetAsync<T>(string path, JsonTypeInfo<T> type, Action<T> show) => RunAsync(HttpMethod.Get, path, null, type, show);

    public Task PostAsync<T>(string path, string? body, JsonTypeInfo<T> type, Action<T> show) => RunAsync(HttpMethod.Post, path, body, type, show);

    /// <summary>Says so when Redis did not carry a change to the other replicas (they notice within the key cache's lifetime).</summary>
    public void ToldReplicas(bool? told)
    {
        if (told == false)
            console.MarkupLine("[yellow]Redis did not carry this change to the other replicas: they notice within team.keyCacheSeconds.[/]");
    }

    internal sealed class Options
    {
        public Option<string?> Url { get; } = new("--url")
        {
            Description = "The gateway's address (default: the daemon running here, else the config's team.publicUrl).",
            Recursive = true,
        };

        public Option<string?> Key { get; } = new("--key")
        {
            Description = $"The admin key; {TeamGateway.KeyVariable} is safer (a command line is visible to others on this machine).",
            Recursive = true,
        };

        public Option<bool> Json { get; } = new("--json") { Description = "Print the gateway's JSON answer instead of tables.", Recursive = true };

        public void AddTo(Command team)
        {
            team.Options.Add(Url);
            team.Options.Add(Key);
            team.Options.Add(Json);
        }

        /// <summary>Makes <paramref name="run"/> the action of <paramref name="command"/>: 0 when it worked, 1 with the reason on stderr when not.</summary>
        public void Act(Command command, Func<TeamCall, ParseResult, Task> run) => command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                using var gateway = TeamGateway.Connect(SwitchboardHome.FromEnvironment(), result.GetValue(Url), result.GetValue(Key));
                await run(new TeamCall(gateway, result.GetValue(Json), CliConsole.Out, cancellationToken), result);
                return 0;
            }
            catch (TeamCliException ex)
            {
                CliConsole.Error.MarkupLineInterpolated($"[red]switchboard team:[/] {ex.Message}");
                return 1;
            }
        });
    }
}
