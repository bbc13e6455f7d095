using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedOpenAI;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// The real Claude Code through Switchboard to a scripted OpenAI-compatible server speaking the real chat-completions
/// stream: a plain answer, a tool loop, two parallel tool calls in one turn, and reasoning shown as thinking.
/// </summary>
public sealed class ClaudeCodeOpenAIEndToEndTests : IAsyncLifetime
{
    private const string ProviderKey = "sk-or-v1-e2e-provider-key";

    private readonly ClaudeCodeRunner _claude = new();
    private ScriptedOpenAI _openai = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _ = ClaudeCodeRunner.ClaudeExecutable; // fail first and loudly if the pinned CLI is missing
        _openai = await ScriptedOpenAI.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _openai.DisposeAsync();
        _claude.Dispose();
    }

    private Task<RunningSwitchboard> StartSwitchboardAsync(string preset) =>
        RunningSwitchboard.StartAsync(_openai.Config($$""", "preset": "{{preset}}", "apiKey": "{{ProviderKey}}" """, name: preset));

    private Task<ChildProcess.Result> RunAsync(RunningSwitchboard switchboard, string prompt, string model, params string[] extra) =>
        _claude.RunAsync(ClaudeCodeRunner.ClaudeExecutable, ["-p", prompt, "--model", model, "--dangerously-skip-permissions", .. extra],
            _claude.Environment(switchboard.Address.ToString().TrimEnd('/')));

    /// <summary>The main-loop requests (the ones that offer tools), in order.</summary>
    private List<JsonObject> AgentRequests() => _openai.ChatRequests.Where(chat => chat["tools"] is JsonArray).ToList();

    private static JsonArray Messages(JsonObject chat) => chat["messages"]!.AsArray();

    private static string? RoleOf(JsonNode? message) => message?["role"]?.GetValue<string>();

    [Fact]
    public async Task PlainPrompt_PrintsTheAnswerAndOnlyTheProvidersKeyReachesTheServer()
    {
        _openai.Chat = _ => [": OPENROUTER PROCESSING", Role(), Text("OpenRouter model says "), Text("E2E-OPENAI-PLAIN."), Finish("stop"), Usage(), DoneLine];
        await using var switchboard = await StartSwitchboardAsync("openrouter");

        var result = await RunAsync(switchboard, "Hello remote model.", "openrouter:qwen/qwen3-coder");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("OpenRouter model says E2E-OPENAI-PLAIN.", customMessage: result.ToString());
        var chat = AgentRequests().ShouldHaveSingleItem(result.ToString());
        chat["model"]!.GetValue<string>().ShouldBe("qwen/qwen3-coder");
        Messages(chat).ShouldContain(m => RoleOf(m) == "user" && m!.ToJsonString().Contains("Hello remote model."));
        // Claude Code's Anthropic key never reached the server; the provider's own key went as a Bearer token
        _openai.Requests.ShouldAllBe(r => r.Header("x-api-key") == null && r.Header("authorization") == "Bearer " + ProviderKey);
        _openai.Requests.ShouldAllBe(r => !r.BodyText.Contains("sk-ant-api03-e2e-test-key"));
    }

    [Fact]
    public async Task ToolLoop_ClaudeCodeRunsTheStreamedCallAndTheResultGoesBackAsAToolMessage()
    {
        _openai.Chat = chat =>
        {
            if (chat["tools"] is null) return [Text("ok"), Finish("stop"), DoneLine];
            var last = Messages(chat).Last();
            if (RoleOf(last) != "tool")
                return [Role(), Text("Writing it."), ToolCallStart(0, "call_e2e_1", "Bash", "{\"command\": \"echo openai-tool-ran"),
                        ToolCallArgs(0, " > proof.txt && cat proof.txt\", "), ToolCallArgs(0, "\"description\": \"Write proof\"}"),
                        Finish("tool_calls"), Usage(), DoneLine];
            return [Text("Tool said: " + last!["content"]!.GetValue<string>().Trim() + " E2E-OPENAI-LOOP"), Finish("stop"), Usage(), DoneLine];
        };
        await using var switchboard = await StartSwitchboardAsync("groq");

        var result = await RunAsync(switchboard, "Write the proof file.", "groq:llama-3.3-70b-versatile");

        result.ExitCode.ShouldBe(0, result.ToString());
        (await File.ReadAllTextAsync(Path.Combine(_claude.WorkingDirectory, "proof.txt"), Cancel)).Trim().ShouldBe("openai-tool-ran");
        result.Stdout.ShouldContain("Tool said: openai-tool-ran E2E-OPENAI-LOOP", customMessage: result.ToString());
        var followUp = Messages(AgentRequests().Last());
        var call = followUp[^2]!["tool_calls"]!.AsArray().ShouldHaveSingleItem()!;
        (call["id"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>()).ShouldBe(("call_e2e_1", "Bash"));
        (RoleOf(followUp[^1]), followUp[^1]!["tool_call_id"]!.GetValue<string>()).ShouldBe(("tool", "call_e2e_1"));
    }

    [Fact]
    public async Task ParallelToolCalls_BothRunAndBothResultsGoBackInTheSameTurn()
    {
        _openai.Chat = chat =>
        {
            if (chat["tools"] is null) return [Text("ok"), Finish("stop"), DoneLine];
            var results = Messages(chat).Reverse().TakeWhile(m => RoleOf(m) == "tool").ToList();
            if (results.Count == 0)
                // Both calls announced, then their arguments in turns, as some servers stream parallel calls
                return [Role(),
                        ToolCallStart(0, "call_par_a", "Bash"), ToolCallStart(1, "call_par_b", "Bash"),
                        ToolCallArgs(0, "{\"command\": \"echo alpha > a.txt\", "), ToolCallArgs(1, "{\"command\": \"echo beta > b.txt\", "),
                        ToolCallArgs(0, "\"description\": \"Write a\"}"), ToolCallArgs(1, "\"description\": \"Write b\"}"),
                        Finish("tool_calls"), Usage(), DoneLine];
            return [Text($"Ran {results.Count} tools. E2E-OPENAI-PARALLEL"), Finish("stop"), Usage(), DoneLine];
        };
        await using var switchboard = await StartSwitchboardAsync("together");

        var result = await RunAsync(switchboard, "Write both files.", "together:Qwen/Qwen3-Coder-480B");

        result.ExitCode.ShouldBe(0, result.ToString());
        (await File.ReadAllTextAsync(Path.Combine(_claude.WorkingDirectory, "a.txt"), Cancel)).Trim().ShouldBe("alpha");
        (await File.ReadAllTextAsync(Path.Combine(_claude.WorkingDirectory, "b.txt"), Cancel)).Trim().ShouldBe("beta");
        result.Stdout.ShouldContain("Ran 2 tools. E2E-OPENAI-PARALLEL", customMessage: result.ToString());
        var followUp = Messages(AgentRequests().Last());
        followUp[^3]!["tool_calls"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ShouldBe(["call_par_a", "call_par_b"]);
        followUp.TakeLast(2).Select(m => (RoleOf(m), m!["tool_call_id"]!.GetValue<string>())).ShouldBe([("tool", "call_par_a"), ("tool", "call_par_b")], ignoreOrder: true);
    }

    [Fact]
    public async Task Reasoning_IsShownAsThinking_AndDeepSeekGetsItBackOnTheToolTurn()
    {
        _openai.Chat = chat =>
        {
            if (chat["tools"] is null) return [Text("ok"), Finish("stop"), DoneLine];
            if (RoleOf(Messages(chat).Last()) != "tool")
                return [Role(), Reasoning("The user wants a file; "), Reasoning("E2E-THINKING-MARK says use Bash."),
                        ToolCallStart(0, "call_think_1", "Bash", "{\"command\": \"echo thought > thought.txt\", \"description\": \"Write\"}"),
                        Finish("tool_calls"), Usage(), DoneLine];
            return [Reasoning("It worked."), Text("Done thinking. E2E-OPENAI-REASONING"), Finish("stop"), Usage(), DoneLine];
        };
        await using var switchboard = await StartSwitchboardAsync("deepseek");

        var result = await RunAsync(switchboard, "Write the thought file.", "deepseek:deepseek-reasoner", "--output-format", "stream-json", "--verbose");

        result.ExitCode.ShouldBe(0, result.ToString());
        // Claude Code received the reasoning as a thinking block, with its text
        var thinking = AssistantBlocks(result.Stdout).Where(b => b.GetProperty("type").GetString() == "thinking")
            .Select(b => b.GetProperty("thinking").GetString()).ToList();
        thinking.ShouldContain("The user wants a file; E2E-THINKING-MARK says use Bash.", customMessage: result.ToString());
        result.Stdout.ShouldContain("E2E-OPENAI-REASONING");
        // and kept it in the conversation, so DeepSeek got it back on the turn that called the tool
        var followUp = Messages(AgentRequests().Last());
        var assistant = followUp[^2]!;
        assistant["tool_calls"]![0]!["id"]!.GetValue<string>().ShouldBe("call_think_1");
        assistant["reasoning_content"]!.GetValue<string>().ShouldBe("The user wants a file; E2E-THINKING-MARK says use Bash.");
    }

    /// <summary>Every content block of every assistant message in <c>--output-format stream-json</c> output.</summary>
    private static IEnumerable<JsonElement> AssistantBlocks(string streamJson)
    {
        foreach (var line in streamJson.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                continue;
            }
            if (root.TryGetProperty("type", out var type) && type.GetString() == "assistant" &&
                root.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var content) &&
                content.ValueKind == JsonValueKind.Array)
                foreach (var block in content.EnumerateArray()) yield return block;
        }
    }
}
