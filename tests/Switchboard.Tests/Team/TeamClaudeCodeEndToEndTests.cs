using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using static Switchboard.Tests.Team.TeamPostgres;

namespace Switchboard.Tests.Team;

/// <summary>
/// Issue 17's end-to-end test: the real Claude Code, given a user's Switchboard key as its API key, talks to three real
/// replicas behind a real HAProxy, which share one PostgreSQL and one Redis; a tool loop runs through them to a scripted
/// model, and the model only ever sees the gateway's own key.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed partial class TeamClaudeCodeEndToEndTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    private const string GatewayKey = "sk-ant-api03-gateway-own-key";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaudeCode_WithATeamKey_ThroughHaproxyAndThreeReplicas_RunsAToolLoop()
    {
        _ = ClaudeCodeRunner.ClaudeExecutable; // fail first and loudly if the pinned CLI is missing
        await using var upstream = await ScriptedUpstream.StartAsync();
        var model = new ScriptedAnthropicModel
        {
            Decide = conversation =>
            {
                if (!conversation.HasTools) return new ScriptedAnthropicModel.Text("ok");
                var results = conversation.LatestToolResults();
                if (results.Count == 0)
                    return new ScriptedAnthropicModel.ToolCall("toolu_team_bash_01", "Bash",
                        """{"command":"echo team-tool-ran > proof.txt && cat proof.txt","description":"Write the proof file"}""");
                return new ScriptedAnthropicModel.Text("Gateway relayed TEAM-LOOP-DONE");
            },
        };
        upstream.Script(model.HandleAsync);
        var connection = await postgres.CreateDatabaseAsync();
        var config = ReplicasBehindHaproxy.AnthropicConfig(upstream.BaseUrl, GatewayKey, connection, redis.Url);
        await using var gateway = await ReplicasBehindHaproxy.StartAsync(config);
        var (replicas, haproxy) = (gateway.Replicas, gateway.Haproxy);
        {
            await using var database = TeamDatabase.Create(connection);
            var ada = await MemberAsync(database);
            var key = (await new TeamApiKeys(database).CreateAsync(ada.Id, "laptop", [], null, "config", Cancel)).Key;
            using var claude = new ClaudeCodeRunner();
            var environment = claude.Environment(haproxy.BaseUrl);
            environment["ANTHROPIC_API_KEY"] = key;

            var result = await claude.RunAsync(ClaudeCodeRunner.ClaudeExecutable, ["-p", "Write the proof file.", "--dangerously-skip-permissions"], environment);

            result.ExitCode.ShouldBe(0, result.ToString());
            result.Stdout.ShouldContain("Gateway relayed TEAM-LOOP-DONE", customMessage: result.ToString());
            (await File.ReadAllTextAsync(Path.Combine(claude.WorkingDirectory, "proof.txt"), Cancel)).Trim().ShouldBe("team-tool-ran");
            var messages = upstream.Requests.Where(request => request.Path == "/v1/messages").ToList();
            messages.ShouldContain(request => request.BodyText.Contains("toolu_team_bash_01"), "the tool's result went back up");
            messages.ShouldAllBe(request => request.Header("x-api-key") == GatewayKey && request.Header("authorization") == null);
            upstream.Requests.ShouldAllBe(request => !request.Headers.Values.Any(values => values.Any(value => value != null && value.Contains(key))));
            var served = replicas.Count(replica => RoutedMessage().IsMatch(replica.Log));
            served.ShouldBeGreaterThan(1, $"HAProxy spread Claude Code's {messages.Count} requests over the replicas");
            foreach (var replica in replicas)
            {
                replica.Log.ShouldNotContain(key);
                replica.EnsureHealthy();
            }
        }
    }

    [GeneratedRegex(@"POST /v1/messages model=\S+ .* -> anthropic:\S+ .* 200 in ")]
    private static partial Regex RoutedMessage();
}
