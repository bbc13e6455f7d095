using System.Net;
using System.Text.Json;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>The real Claude Code CLI, headless, through the real Switchboard, to a scripted Anthropic-format model.</summary>
public sealed class ClaudeCodeEndToEndTests : IAsyncLifetime
{
    private readonly ClaudeCodeRunner _claude = new();
    private ScriptedUpstream _upstream = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ = ClaudeCodeRunner.ClaudeExecutable; // fail first and loudly if the pinned CLI is missing
        _upstream = await ScriptedUpstream.StartAsync();
        _switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(_upstream.BaseUrl));
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _upstream.DisposeAsync();
        _claude.Dispose();
    }

    private string BaseUrl => _switchboard.Address.ToString().TrimEnd('/');

    private List<RecordedRequest> MessageRequests() =>
        _upstream.Requests.Where(r => r.Path == "/v1/messages").ToList();

    [Fact]
    public async Task PlainPrompt_ThroughSwitchboard_PrintsTheModelsAnswer()
    {
        // Given a model that answers a distinctive line
        var model = new ScriptedAnthropicModel { Decide = _ => new ScriptedAnthropicModel.Text("Switchboard relayed E2E-PLAIN-7f3 intact.") };
        _upstream.Script(model.HandleAsync);

        // When Claude Code is asked a question through Switchboard
        var result = await _claude.RunAsync("Say something distinctive.", BaseUrl);

        // Then it prints the model's answer
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Switchboard relayed E2E-PLAIN-7f3 intact.", customMessage: result.ToString());
        // And the upstream got Claude Code's own credentials, betas and query string, through Switchboard
        var request = MessageRequests().ShouldHaveSingleItem(result.ToString());
        request.Query.ShouldBe("?beta=true");
        request.Header("x-api-key").ShouldBe("sk-ant-api03-e2e-test-key");
        request.Header("anthropic-beta")!.ShouldContain("claude-code-20250219");
        request.Header("user-agent")!.ShouldStartWith($"claude-cli/{ClaudeCodeRunner.PinnedVersion} ");
        request.BodyText.ShouldContain("Say something distinctive.");
    }

    [Fact]
    public async Task ToolLoop_ModelAsksForBash_ClaudeCodeRunsItAndTheResultGoesBackUp()
    {
        // Given a model that first asks for the Bash tool, then answers with what the tool returned
        var model = new ScriptedAnthropicModel
        {
            Decide = conversation =>
            {
                if (!conversation.HasTools) return new ScriptedAnthropicModel.Text("ok");
                var results = conversation.LatestToolResults();
                if (results.Count == 0)
                    return new ScriptedAnthropicModel.ToolCall("toolu_e2e_bash_01", "Bash",
                        """{"command":"echo e2e-tool-ran > proof.txt && cat proof.txt","description":"Write the proof file"}""");
                return new ScriptedAnthropicModel.Text("Tool said: " + ClaudeCodeRunner.ToolOutput(ResultText(results[0])) + " E2E-LOOP-DONE");
            },
        };
        _upstream.Script(model.HandleAsync);

        // When Claude Code runs the conversation through Switchboard
        var result = await _claude.RunAsync("Write the proof file.", BaseUrl);

        // Then Claude Code ran the tool for real
        result.ExitCode.ShouldBe(0, result.ToString());
        var proof = Path.Combine(_claude.WorkingDirectory, "proof.txt");
        File.Exists(proof).ShouldBeTrue(result.ToString());
        (await File.ReadAllTextAsync(proof, Cancel)).Trim().ShouldBe("e2e-tool-ran");
        // And its result went back up as a tool_result for that call
        var followUp = MessageRequests().Last(r => r.BodyText.Contains("toolu_e2e_bash_01"));
        using var body = JsonDocument.Parse(followUp.Body);
        var toolResult = new Conversation(body.RootElement).LatestToolResults().ShouldHaveSingleItem();
        toolResult.GetProperty("tool_use_id").GetString().ShouldBe("toolu_e2e_bash_01");
        ResultText(toolResult).ShouldContain("e2e-tool-ran");
        // And the final answer was printed
        result.Stdout.ShouldContain("Tool said: e2e-tool-ran E2E-LOOP-DONE", customMessage: result.ToString());
    }

    [Fact]
    public async Task UpstreamRefusesTheRequest_ClaudeCodeShowsTheErrorAndSwitchboardKeepsServing()
    {
        // Given an upstream that rejects every request with Anthropic's 400 shape
        _upstream.Script((context, _) => AnthropicWire.WriteJsonAsync(context,
            AnthropicWire.Error("invalid_request_error", "E2E-REFUSED: prompt contains a forbidden marker"), 400));

        var result = await _claude.RunAsync("Trigger the refusal.", BaseUrl);

        // Then the user sees the upstream's own message, and Claude Code reports failure
        (result.Stdout + result.Stderr).ShouldContain("E2E-REFUSED: prompt contains a forbidden marker", customMessage: result.ToString());
        result.ExitCode.ShouldNotBe(0, result.ToString());
        (await _switchboard.Client.GetAsync("/health", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static string ResultText(JsonElement toolResult)
    {
        var content = toolResult.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString()));
    }
}
