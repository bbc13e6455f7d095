using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>switchboard route --explain FILE</c> on requests recorded from Claude Code.</summary>
public sealed class RouteCommandTests : IDisposable
{
    private readonly TempHome _home = new();

    public void Dispose() => _home.Dispose();

    private static string Recording(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "requests", name + ".json");

    [Fact]
    public async Task Explain_RecordedSubagentRequest_ShowsDutyRuleAndTargets()
    {
        _home.WriteConfig("""
            {
              "providers": { "anthropic": { "type": "anthropic" }, "ollama-local": { "type": "ollama" } },
              "routes": { "subagent": ["ollama-local:qwen3:8b", "anthropic"] }
            }
            """);

        var result = await new CliRunner(_home).RunAsync("route", "--explain", Recording("subagent"));

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("requested model        │ claude-opus-5-5");
        result.Stdout.ShouldContain("request class          │ subagent");
        result.Stdout.ShouldContain("duty                   │ subagent");
        result.Stdout.ShouldContain("decided by             │ duty:subagent");
        result.Stdout.ShouldContain("targets, in order      │ ollama-local:qwen3:8b → anthropic:claude-opus-5-5");
        result.Stdout.ShouldMatch(@"estimated input tokens │ \d+ \(longContext above 60000\)");
    }

    [Fact]
    public async Task Explain_NotARequest_SaysSoAndFails()
    {
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var file = Path.Combine(_home.Folder, "bad.json");
        await File.WriteAllTextAsync(file, "{\"model\": 42}", TestContext.Current.CancellationToken);

        var result = await new CliRunner(_home).RunAsync("route", "--explain", file);

        result.ExitCode.ShouldBe(2);
        result.Stdout.ShouldContain("bad.json is not a Messages request");
    }

    [Fact]
    public async Task Explain_RequestTheRouterRefuses_SaysWhyAndFails()
    {
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var file = Path.Combine(_home.Folder, "refused.json");
        await File.WriteAllTextAsync(file, """{"model":"openrouter,gpt-5","max_tokens":5,"messages":[{"role":"user","content":"x"}]}""", TestContext.Current.CancellationToken);

        var result = await new CliRunner(_home).RunAsync("route", "--explain", file);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stdout.ShouldContain("would be refused (400): Unknown provider 'openrouter'");
        result.Stderr.ShouldNotContain("Exception");
    }
}
