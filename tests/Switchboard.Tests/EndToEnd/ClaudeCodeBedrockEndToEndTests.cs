using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedBedrock;

namespace Switchboard.Tests.EndToEnd;

/// <summary>The real Claude Code through Switchboard to a scripted, signature-checking Bedrock (Converse).</summary>
public sealed class ClaudeCodeBedrockEndToEndTests : IDisposable
{
    private const string Model = "bedrock:us.anthropic.claude-haiku-4-5-20251001-v1:0";
    private readonly ClaudeCodeRunner _claude = new();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ClaudeCodeBedrockEndToEndTests() => TestAwsProfile.Install();

    public void Dispose() => _claude.Dispose();

    [Fact]
    public async Task PlainPrompt_PrintsBedrocksAnswer()
    {
        await using var bedrock = await ScriptedBedrock.StartAsync();
        bedrock.Converse = _ => [Text("Bedrock says "), Text("E2E-BEDROCK-PLAIN."), BlockStop(0), MessageStop("end_turn"), Metadata(900, 6)];
        await using var switchboard = await RunningSwitchboard.StartAsync(bedrock.Config());

        var result = await _claude.RunAsync(switchboard, "Hello Bedrock.", Model);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Bedrock says E2E-BEDROCK-PLAIN.", customMessage: result.ToString());
        bedrock.Refusals.ShouldBeEmpty();
        bedrock.Requests.ShouldAllBe(r => r.Header("x-api-key") == null && r.Header("authorization")!.StartsWith("AWS4-HMAC-SHA256"));
    }

    [Fact]
    public async Task ToolLoop_ClaudeCodeRunsTheToolAndTheResultGoesBackAsAToolResult()
    {
        await using var bedrock = await ScriptedBedrock.StartAsync();
        bedrock.Converse = request =>
        {
            var last = request["messages"]!.AsArray().Last()!["content"]!.AsArray();
            var result = last.Select(b => b!["toolResult"]).FirstOrDefault(r => r is not null);
            if (result is null)
                return [ToolStart(0, "tooluse_e2e_1", "Bash"), ToolInput(0, "{\"command\":\"echo bedrock-tool-ran > proof.txt && cat proof.txt\","),
                        ToolInput(0, "\"description\":\"Write proof\"}"), BlockStop(0), MessageStop("tool_use"), Metadata(900, 30)];
            var output = ClaudeCodeRunner.ToolOutput(result["content"]![0]!["text"]!.GetValue<string>());
            return [Text($"Tool said: {output} E2E-BEDROCK-LOOP"), BlockStop(0), MessageStop("end_turn"), Metadata(950, 10)];
        };
        await using var switchboard = await RunningSwitchboard.StartAsync(bedrock.Config());

        var result = await _claude.RunAsync(switchboard, "Write the proof file.", Model);

        result.ExitCode.ShouldBe(0, result.ToString());
        (await File.ReadAllTextAsync(Path.Combine(_claude.WorkingDirectory, "proof.txt"), Cancel)).Trim().ShouldBe("bedrock-tool-ran");
        result.Stdout.ShouldContain("Tool said: bedrock-tool-ran E2E-BEDROCK-LOOP", customMessage: result.ToString());
        var followUp = bedrock.Bodies.Last()["messages"]!.AsArray();
        followUp[^2]!["content"]!.AsArray().Select(b => b!["toolUse"]).First(t => t is not null)!["toolUseId"]!.GetValue<string>().ShouldBe("tooluse_e2e_1");
        followUp[^1]!["content"]![0]!["toolResult"]!["toolUseId"]!.GetValue<string>().ShouldBe("tooluse_e2e_1");
        bedrock.Refusals.ShouldBeEmpty();
    }

    /// <summary>
    /// The setup of openClaude's dual LiteLLM proxy, which this replaces: the subscription (here a scripted Anthropic) for Opus and Sonnet, a Bedrock model for the
    /// Haiku slot, through one Switchboard config and Claude Code's own slot variable.
    /// </summary>
    [Fact]
    public async Task HaikuSlotOnBedrock_OtherSlotsOnAnthropic()
    {
        await using var bedrock = await ScriptedBedrock.StartAsync();
        bedrock.Converse = _ => [Text("E2E-HAIKU-ON-BEDROCK"), BlockStop(0), MessageStop("end_turn"), Metadata(100, 5)];
        var claude = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("E2E-SONNET-ON-ANTHROPIC") };
        await using var anthropic = await ScriptedUpstream.StartAsync(claude.HandleAsync);
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "defaultProvider": "anthropic",
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "{{anthropic.BaseUrl}}" },
                "bedrock": { "type": "bedrock", "baseUrl": "{{bedrock.BaseUrl}}", "region": "{{Region}}", "profile": "{{Profile}}" }
              }
            }
            """);
        var environment = _claude.Environment(switchboard.Address.ToString().TrimEnd('/'));
        environment["ANTHROPIC_DEFAULT_HAIKU_MODEL"] = Model;

        var haiku = await _claude.RunAsync(ClaudeCodeRunner.ClaudeExecutable, ["-p", "Quick one.", "--model", "haiku"], environment);
        var sonnet = await _claude.RunAsync(ClaudeCodeRunner.ClaudeExecutable, ["-p", "Main work.", "--model", "sonnet"], environment);

        haiku.ExitCode.ShouldBe(0, haiku.ToString());
        haiku.Stdout.ShouldContain("E2E-HAIKU-ON-BEDROCK", customMessage: haiku.ToString());
        sonnet.ExitCode.ShouldBe(0, sonnet.ToString());
        sonnet.Stdout.ShouldContain("E2E-SONNET-ON-ANTHROPIC", customMessage: sonnet.ToString());
        bedrock.Requests.Select(r => r.Path).ShouldAllBe(path => path == "/model/us.anthropic.claude-haiku-4-5-20251001-v1:0/converse-stream");
        anthropic.Requests.Where(r => r.Path == "/v1/messages").ShouldAllBe(r => r.BodyText.Contains("claude-sonnet"));
        // The Anthropic key Claude Code holds went to Anthropic only.
        bedrock.Requests.ShouldAllBe(r => r.Header("x-api-key") == null);
        anthropic.Requests.ShouldContain(r => r.Header("x-api-key") == "sk-ant-api03-e2e-test-key");
    }
}
