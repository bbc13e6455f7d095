using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>The real Claude Code through Switchboard to a scripted Ollama, in native and in Anthropic mode.</summary>
public sealed class ClaudeCodeOllamaEndToEndTests : IDisposable
{
    private readonly ClaudeCodeRunner _claude = new();
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _claude.Dispose();

    [Fact]
    public async Task NativeMode_PlainPrompt_PrintsOllamasAnswer()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        ollama.Chat = _ => [ScriptedOllama.Text("Local qwen says "), ScriptedOllama.Text("E2E-OLLAMA-PLAIN."), ScriptedOllama.Done()];
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig("http://127.0.0.1:1",
            extraProviderKeys: "}, \"ollama-local\": {\"type\": \"ollama\", \"baseUrl\": \"" + ollama.BaseUrl + "\""));

        var result = await _claude.RunAsync(switchboard, "Hello local model.", "ollama-local:qwen3:8b");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("Local qwen says E2E-OLLAMA-PLAIN.", customMessage: result.ToString());
        var chat = ollama.ChatRequests.Last();
        chat["model"]!.GetValue<string>().ShouldBe("qwen3:8b");
        chat["options"]!["num_ctx"]!.GetValue<int>().ShouldBe(40960);
        // Claude Code's Anthropic key never reached Ollama
        ollama.Requests.ShouldAllBe(r => r.Header("x-api-key") == null && r.Header("authorization") == null);
    }

    [Fact]
    public async Task NativeMode_ToolLoop_ClaudeCodeRunsTheToolAndTheResultGoesBackAsAToolMessage()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        ollama.Chat = chat =>
        {
            var last = chat["messages"]!.AsArray().Last()!;
            if (last["role"]!.GetValue<string>() != "tool")
                return [ScriptedOllama.ToolCall("Bash", """{"command":"echo ollama-tool-ran > proof.txt && cat proof.txt","description":"Write proof"}"""), ScriptedOllama.Done()];
            return [ScriptedOllama.Text("Tool said: " + ClaudeCodeRunner.ToolOutput(last["content"]!.GetValue<string>()) + " E2E-OLLAMA-LOOP"), ScriptedOllama.Done()];
        };
        await using var switchboard = await RunningSwitchboard.StartAsync(ollama.Config());

        var result = await _claude.RunAsync(switchboard, "Write the proof file.", "qwen3:8b");

        result.ExitCode.ShouldBe(0, result.ToString());
        (await File.ReadAllTextAsync(Path.Combine(_claude.WorkingDirectory, "proof.txt"), Cancel)).Trim().ShouldBe("ollama-tool-ran");
        result.Stdout.ShouldContain("Tool said: ollama-tool-ran E2E-OLLAMA-LOOP", customMessage: result.ToString());
        // The second chat carried the assistant's call and the tool's result, named after the tool
        var followUp = ollama.ChatRequests.Last()["messages"]!.AsArray();
        followUp[^2]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>().ShouldBe("Bash");
        followUp[^1]!["role"]!.GetValue<string>().ShouldBe("tool");
        followUp[^1]!["tool_name"]!.GetValue<string>().ShouldBe("Bash");
    }

    [Fact]
    public async Task AnthropicMode_ToolLoop_WorksThroughOllamasMessagesEndpoint()
    {
        var model = new ScriptedAnthropicModel
        {
            Decide = conversation => !conversation.HasTools ? new ScriptedAnthropicModel.Text("ok")
                : conversation.LatestToolResults().Count == 0
                    ? new ScriptedAnthropicModel.ToolCall("call_ollama_1", "Bash", """{"command":"echo anthropic-mode-ran > proof.txt","description":"Write proof"}""")
                    : new ScriptedAnthropicModel.Text("E2E-OLLAMA-ANTHROPIC-MODE done"),
        };
        await using var upstream = await ScriptedUpstream.StartAsync(model.HandleAsync);
        await using var switchboard = await RunningSwitchboard.StartAsync(
            "{\"defaultProvider\":\"ollama-local\",\"providers\":{\"ollama-local\":{\"type\":\"ollama\",\"api\":\"anthropic\",\"baseUrl\":\"" + upstream.BaseUrl + "\"}}}");

        var result = await _claude.RunAsync(switchboard, "Write the proof file.", "qwen3:8b");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("E2E-OLLAMA-ANTHROPIC-MODE done", customMessage: result.ToString());
        (await File.ReadAllTextAsync(Path.Combine(_claude.WorkingDirectory, "proof.txt"), Cancel)).Trim().ShouldBe("anthropic-mode-ran");
        upstream.Requests.ShouldAllBe(r => r.Header("x-api-key") == null && r.Header("authorization") == null);
        upstream.Requests.ShouldContain(r => r.Path == "/v1/messages" && r.BodyText.Contains("call_ollama_1"));
    }
}
