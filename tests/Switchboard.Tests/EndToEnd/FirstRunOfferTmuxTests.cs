using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.EndToEnd;

/// <summary>
/// Issue 15, item 2, at a terminal: with no Claude login or key, an Anthropic default route and an Ollama with models
/// installed, <c>switchboard code</c> asks y/N to make the first installed model the default. <c>y</c> writes it and
/// the real Claude Code answers from Ollama; <c>N</c> or Enter writes nothing and ends with the advice.
/// </summary>
public sealed class FirstRunOfferTmuxTests : IAsyncLifetime
{
    private const string Offer = "Make ollama-local:qwen3:8b the default and go on? [y/N]";
    private readonly ClaudeCodeRunner _claude = new();
    private readonly TempHome _switchboardHome = new();
    private ScriptedOllama _ollama = null!;
    private string _config = "";

    public async ValueTask InitializeAsync()
    {
        _ollama = await ScriptedOllama.StartAsync();
        _ollama.Chat = _ => [ScriptedOllama.Text("Answered locally: E2E-OFFER-9"), ScriptedOllama.Done()];
        _config = $$"""
            { "port": {{TestPorts.Free()}},
              "providers": { "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:9" },
                             "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" } } }
            """;
        _switchboardHome.WriteConfig(_config);
        _claude.SkipOnboardingAndTrustFolder();
    }

    public async ValueTask DisposeAsync()
    {
        await new CliRunner(_switchboardHome).StopDaemonAsync();
        await _ollama.DisposeAsync();
        _switchboardHome.Dispose();
        _claude.Dispose();
    }

    [Fact]
    public async Task Code_AnsweringYes_MakesTheLocalModelTheDefault_AndClaudeCodeAnswersFromIt()
    {
        await using var tmux = await StartAsync();
        await tmux.WaitForTextAsync(Offer);

        await tmux.TypeAsync("y");
        await tmux.SendKeysAsync("Enter");

        // Then the default route is the Ollama model, and the real Claude Code starts and answers through it
        await tmux.WaitForTextAsync("❯");
        DefaultRoute().ShouldBe("ollama-local:qwen3:8b");
        await tmux.TypeAsync("Hello local.");
        await tmux.SendKeysAsync("Enter");
        await tmux.WaitForTextAsync("Answered locally: E2E-OFFER-9");
    }

    [Theory]
    [InlineData("N")]
    [InlineData("")]
    public async Task Code_AnsweringNoOrEnter_WritesNothing_AndEndsWithTheAdvice(string answer)
    {
        await using var tmux = await StartAsync();
        await tmux.WaitForTextAsync(Offer);

        if (answer.Length > 0) await tmux.TypeAsync(answer);
        await tmux.SendKeysAsync("Enter");

        var screen = await tmux.WaitForTextAsync("switchboard exited 2");
        screen.ShouldContain("switchboard model-default ollama-local:qwen3:8b");
        screen.ShouldContain("auth login");
        File.ReadAllText(_switchboardHome.Home.ConfigFile).ShouldBe(_config);
        _ollama.Requests.ShouldNotContain(request => request.Path == "/api/chat");
    }

    /// <summary><c>switchboard code</c> in a terminal for a user with no login, its exit status printed when it ends.</summary>
    private Task<TmuxSession> StartAsync()
    {
        var environment = _claude.TerminalEnvironment(_switchboardHome.Folder);
        environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        return TmuxSession.StartAsync(_claude.WorkingDirectory, environment,
            ["/bin/sh", "-c", $"'{CliRunner.Executable}' code; echo \"switchboard exited $?\""]);
    }

    private string? DefaultRoute() =>
        JsonNode.Parse(File.ReadAllText(_switchboardHome.Home.ConfigFile),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })
            ?["routes"]?["default"]?.GetValue<string>();
}
