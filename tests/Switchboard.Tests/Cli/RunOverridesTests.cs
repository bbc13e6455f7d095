using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// <c>serve</c> and <c>code</c> with <c>--port</c>, <c>--ollama-url</c>, <c>--default-model</c>, <c>--model-map</c>,
/// <c>--strict-thinking</c>, <c>--verbose</c>: the config changes for that run and the file does not.
/// </summary>
public sealed class RunOverridesTests : IAsyncLifetime
{
    private const string Config = """
        // the user's own notes
        { "providers": { "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:9" },
                         "ollama-local": { "type": "ollama", "baseUrl": "http://127.0.0.1:9" } } }
        """;

    private readonly TempHome _home = new();
    private readonly CliRunner _cli;
    private ScriptedOllama _ollama = null!;

    public RunOverridesTests() => _cli = new CliRunner(_home);

    public async ValueTask InitializeAsync()
    {
        _ollama = await ScriptedOllama.StartAsync();
        _home.WriteConfig(Config);
    }

    public async ValueTask DisposeAsync()
    {
        await _cli.StopDaemonAsync();
        await _ollama.DisposeAsync();
        _home.Dispose();
    }

    private const string AskRouter = """
        echo "base=$ANTHROPIC_BASE_URL"
        echo "args=$*"
        curl -s -X POST "$ANTHROPIC_BASE_URL/v1/messages" -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' \
          -d '{"model":"claude-sonnet-4-5","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}'
        """;

    [Fact]
    public async Task Code_DefaultModelAndOllamaUrl_RouteThisRunToThatOllama_WithoutWritingTheConfig()
    {
        // Given a config whose Ollama is nowhere, and a claude that sends one request through the router it is given
        var path = await FakeClaude.WriteAsync(Path.Combine(_home.Folder, "bin"), AskRouter);
        var port = TestPorts.Free();

        // When code runs with this run's overrides, then Claude Code's own arguments
        var result = await _cli.RunAsync(["code", "--port", port.ToString(), "--ollama-url", _ollama.BaseUrl,
            "--default-model", "ollama-local:qwen3:8b", "--verbose", "-p", "hello"], path: path);

        // Then the request reached the scripted Ollama as qwen3:8b, through a router on the given port
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain($"base=http://127.0.0.1:{port}\n");
        result.Stdout.ShouldContain("hello from ollama");
        _ollama.ChatRequests.Single()["model"]!.GetValue<string>().ShouldBe("qwen3:8b");
        // --verbose is Claude Code's flag too, so it is passed on with the rest
        result.Stdout.ShouldContain("args=--verbose -p hello\n");
        // And the file is as the user wrote it, comment included; no daemon was started for it
        File.ReadAllText(_home.Home.ConfigFile).ShouldBe(Config);
        File.Exists(_home.Home.PidFile).ShouldBeFalse();
    }

    [Fact]
    public async Task Code_ModelMap_SendsTheMappedModelToOllama()
    {
        var path = await FakeClaude.WriteAsync(Path.Combine(_home.Folder, "bin"), AskRouter);

        var result = await _cli.RunAsync(["code", "--ollama-url=" + _ollama.BaseUrl, "--model-map", "claude-sonnet-*=ollama-local:llama3.2:3b",
            "--strict-thinking", "-p", "x"], path: path);

        result.ExitCode.ShouldBe(0, result.ToString());
        _ollama.ChatRequests.Single()["model"]!.GetValue<string>().ShouldBe("llama3.2:3b");
    }

    [Fact]
    public async Task Code_DefaultModelNamingNoProvider_IsRefusedBeforeClaudeStarts()
    {
        var path = await FakeClaude.WriteAsync(Path.Combine(_home.Folder, "bin"), "echo claude-ran");

        var result = await _cli.RunAsync(["code", "--default-model", "nowhere:model"], path: path);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("with this run's options the config would not serve");
        result.Stderr.ShouldContain("nowhere");
        result.Stdout.ShouldNotContain("claude-ran");
    }

    [Fact]
    public async Task Serve_BadOverrides_AreReportedAndNothingServes()
    {
        var badMap = await _cli.RunAsync("serve", "--port", "0", "--model-map", "no-equals-sign");
        badMap.ExitCode.ShouldBe(2, badMap.ToString());
        badMap.Stderr.ShouldContain("--model-map wants FROM=TO, not 'no-equals-sign'");

        var badModel = await _cli.RunAsync("serve", "--port", "0", "--default-model", "nowhere:model");
        badModel.ExitCode.ShouldBe(2, badModel.ToString());
        badModel.Stderr.ShouldContain("nowhere");
    }

    [Fact]
    public async Task Code_NonInteractive_SetsHeadlessEnvironment()
    {
        var path = await FakeClaude.WriteAsync(Path.Combine(_home.Folder, "bin"),
            "echo \"ci=$CI term=$TERM color=$FORCE_COLOR readline=$NODE_NO_READLINE args=$*\"");
        var port = TestPorts.Free();
        _home.WriteConfig("{\"port\": " + port + """, "providers": { "anthropic": { "type": "anthropic" } } }""");

        // (with a key: the default route goes to Anthropic)
        var key = new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-ant-api03-test" };
        var flagged = await _cli.RunAsync(["code", "--non-interactive", "-p", "x"], path: path, environment: key);
        flagged.ExitCode.ShouldBe(0, flagged.ToString());
        flagged.Stdout.ShouldContain("ci=true term=dumb color=0 readline=1 args=-p x");

        // Without the flag nothing headless is set, unless the config asks for it
        var plain = await _cli.RunAsync(["code", "-p", "x"], path: path, environment: new Dictionary<string, string> { ["TERM"] = "xterm", ["CI"] = "", ["ANTHROPIC_API_KEY"] = "sk-ant-api03-test" });
        plain.Stdout.ShouldContain("ci= term=xterm");
        _home.WriteConfig("{\"port\": " + port + """, "claudeCode": { "nonInteractive": true }, "providers": { "anthropic": { "type": "anthropic" } } }""");
        var configured = await _cli.RunAsync(["code", "-p", "x"], path: path, environment: key);
        configured.Stdout.ShouldContain("ci=true term=dumb");
    }
}
