using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

public sealed class ListCommandTests
{
    [Fact]
    public async Task List_WithAnOllamaProvider_ShowsModelsCapabilitiesAndModelLines()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        using var home = new TempHome();
        home.WriteConfig(RunningSwitchboard.AnthropicConfig("https://api.anthropic.com",
            extraProviderKeys: "}, \"ollama-local\": {\"type\": \"ollama\", \"baseUrl\": \"" + ollama.BaseUrl + "\""));

        var result = await new CliRunner(home).RunAsync("list");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain($"ollama-local ({ollama.BaseUrl}): 3 model(s)");
        var qwen = result.Stdout.Split('\n').Single(line => line.Contains("qwen3:8b "));
        qwen.ShouldContain("tools, thinking");
        qwen.ShouldContain("40960");
        qwen.ShouldContain("/model ollama-local:qwen3:8b");
        result.Stdout.Split('\n').Single(line => line.Contains("llava:7b ")).ShouldContain("vision");
    }

    [Fact]
    public async Task List_OllamaNotRunning_SaysSoWithoutHanging()
    {
        using var home = new TempHome();
        home.WriteConfig($$"""{"defaultProvider":"o","providers":{"o":{"type":"ollama","baseUrl":"http://127.0.0.1:{{TestPorts.Free()}}"} } }""");

        var result = await new CliRunner(home).RunAsync("list");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("none found: is it running");
    }
}
