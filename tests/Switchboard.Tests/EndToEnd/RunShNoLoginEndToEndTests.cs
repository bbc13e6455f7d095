using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 15's "done when", through <c>./run.sh</c> itself: on a fresh <c>HOME</c> with no Claude login,
/// <c>./run.sh -p "hi"</c> ends at once with the advice (exit 2, the three ways on), never starting Claude Code to
/// retry a 401 for minutes; once the user runs the local-model command it printed, the same <c>./run.sh -p "hi"</c>
/// prints the scripted Ollama's answer, from the real Claude Code.
/// </summary>
[UsesPublishedBinary]
public sealed class RunShNoLoginEndToEndTests : IAsyncLifetime
{
    // Far below Claude Code's minutes of retrying a 401, far above a run that only checks and advises.
    private static readonly TimeSpan AdviceWithin = TimeSpan.FromSeconds(45);
    private ScriptedUpstream _anthropic = null!;
    private ScriptedOllama _ollama = null!;
    private RunShSandbox _machine = null!;

    public async ValueTask InitializeAsync()
    {
        // An Anthropic that refuses as Anthropic does without a credential: were Claude Code started, it would retry.
        _anthropic = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteJsonAsync(context,
            """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}""", 401));
        _ollama = await ScriptedOllama.StartAsync();
        _ollama.Chat = chat => [ScriptedOllama.Text("RUNSH-LOCAL-ANSWER from " + chat["model"]!.GetValue<string>()), ScriptedOllama.Done()];
        _machine = await RunShSandbox.CreateAsync();
        _machine.PlantDefaultConfig(_anthropic.BaseUrl, _ollama.BaseUrl, TestPorts.Free());
    }

    public async ValueTask DisposeAsync()
    {
        await _machine.DisposeAsync();
        await _ollama.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    [Fact]
    public async Task RunSh_NoClaudeLogin_AdvisesAtOnceWithTheThreeWays_ThenTheLocalModelPathAnswers()
    {
        // When a new user with no Claude login and no key runs the README's one command
        var advice = await _machine.BashAsync("./run.sh -p \"hi\"", AdviceWithin);

        // Then it ends at once with the three ways on, and Claude Code never asked Anthropic anything
        advice.ExitCode.ShouldBe(2, advice.ToString());
        advice.Stderr.ShouldContain("1. Log in with your Claude subscription", customMessage: advice.ToString());
        advice.Stderr.ShouldContain($"{_machine.InstalledClaude} auth login", customMessage: "the login command names the claude run.sh installed\n" + advice);
        advice.Stderr.ShouldContain("2. Use an Anthropic API key", customMessage: advice.ToString());
        advice.Stderr.ShouldContain("export ANTHROPIC_API_KEY=", customMessage: advice.ToString());
        advice.Stderr.ShouldContain("3. Use a local model", customMessage: advice.ToString());
        _anthropic.Requests.ShouldBeEmpty();
        var command = advice.Stderr.Split('\n').Select(line => line.Trim())
            .Single(line => line.StartsWith("switchboard model-default ollama-local:", StringComparison.Ordinal));

        // When the user takes the local-model path with the `switchboard` the README's quick start puts on PATH
        var answer = await _machine.BashAsync($"""
            export PATH="$PWD/artifacts/switchboard:$PATH"
            {command}
            ./run.sh -p "hi"
            """);

        // Then Claude Code answers from the local model
        answer.ExitCode.ShouldBe(0, answer.ToString());
        answer.Stdout.TrimEnd().ShouldEndWith("RUNSH-LOCAL-ANSWER from " + command.Split(':', 2)[1], customMessage: answer.ToString());
        _anthropic.Requests.Where(r => r.Path == "/v1/messages").ShouldBeEmpty();
    }
}
