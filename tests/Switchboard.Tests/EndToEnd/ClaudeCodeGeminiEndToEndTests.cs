using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>The real Claude Code through Switchboard to a scripted Gemini: a plain answer and a signed tool loop.</summary>
public sealed class ClaudeCodeGeminiEndToEndTests : IDisposable
{
    private readonly ClaudeCodeRunner _claude = new();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _claude.Dispose();

    [Fact]
    public async Task PlainPrompt_PrintsGeminisAnswer()
    {
        await using var gemini = await ScriptedGemini.StartAsync();
        gemini.Reply = _ => [ScriptedGemini.Thought("Considering."), ScriptedGemini.Text("Gemini says "), ScriptedGemini.Text("E2E-GEMINI-PLAIN."), ScriptedGemini.Finish()];
        await using var switchboard = await RunningSwitchboard.StartAsync(gemini.Config());

        var result = await _claude.RunAsync(switchboard, "Hello Gemini.", "gemini-2.5-pro");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Gemini says E2E-GEMINI-PLAIN.", customMessage: result.ToString());
        gemini.Requests.ShouldAllBe(r => r.Header("x-api-key") == null && r.Header("authorization") == null);
    }

    [Fact]
    public async Task ToolLoop_ClaudeCodeRunsTheToolAndTheSignedResultGoesBack()
    {
        await using var gemini = await ScriptedGemini.StartAsync();
        gemini.Reply = request =>
        {
            var last = request["contents"]!.AsArray().Last()!["parts"]!.AsArray();
            var response = last.Select(p => p!["functionResponse"]).FirstOrDefault(r => r is not null);
            if (response is null)
                return [ScriptedGemini.Call("Bash", """{"command":"echo gemini-tool-ran > proof.txt && cat proof.txt","description":"Write proof"}""", signature: "e2e-sig-1"), ScriptedGemini.Finish()];
            return [ScriptedGemini.Text("Tool said: " + ClaudeCodeRunner.ToolOutput(response["response"]!["output"]!.GetValue<string>()) + " E2E-GEMINI-LOOP"), ScriptedGemini.Finish()];
        };
        await using var switchboard = await RunningSwitchboard.StartAsync(gemini.Config());

        var result = await _claude.RunAsync(switchboard, "Write the proof file.", "gemini-3-pro-preview");

        result.ExitCode.ShouldBe(0, result.ToString());
        (await File.ReadAllTextAsync(Path.Combine(_claude.WorkingDirectory, "proof.txt"), Cancel)).Trim().ShouldBe("gemini-tool-ran");
        result.Stdout.ShouldContain("Tool said: gemini-tool-ran E2E-GEMINI-LOOP", customMessage: result.ToString());
        // The follow-up replayed the call with Gemini's own signature (kept by Claude Code on the carrier block).
        var followUp = gemini.GenerateRequests.Last(r => r.ToJsonString().Contains("functionResponse"))["contents"]!.AsArray();
        var call = followUp.SelectMany(c => c!["parts"]!.AsArray()).First(p => p!["functionCall"] is not null)!;
        call["functionCall"]!["name"]!.GetValue<string>().ShouldBe("Bash");
        call["thoughtSignature"]!.GetValue<string>().ShouldBe("e2e-sig-1");
    }
}
