using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>What <c>status</c> and <c>start</c> print about a broken config, through the real executable.</summary>
public sealed class ConfigErrorWordingTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;

    public ConfigErrorWordingTests() => _cli = new CliRunner(_home);

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("""{ "port": "eleven" }""", "line 1: $.port must be a whole number")]
    [InlineData("""{ "defaultProvder": "anthropic" }""", "line 1: $.defaultProvder is not a known key; did you mean defaultProvider?")]
    [InlineData("""{ "providers": { "ollama-local": { "type": "ollama", "numCtx": "big" } } }""", "line 1: $.providers.ollama-local.numCtx must be a whole number")]
    public async Task Status_BrokenConfig_SaysWhatIsWrongInTheConfigsWords_AndNamesTheFileOnce(string json, string expected)
    {
        // Given a config with a value of the wrong kind or a misspelt key
        _home.WriteConfig(json);

        // When the user asks for the status
        var status = await _cli.RunAsync("status");

        // Then the problem is in the config's words, without .NET's, under the one line that names the file
        status.Stdout.ShouldContain(expected, customMessage: status.ToString());
        status.Stdout.ShouldNotContain("System.");
        status.Stdout.ShouldNotContain(".NET");
        status.Stdout.Split(_home.Home.ConfigFile).Length.ShouldBe(2, status.Stdout);
    }

    [Fact]
    public async Task Start_BrokenConfig_RefusesInTheConfigsWords()
    {
        _home.WriteConfig("""{ "port": "eleven", "providers": { "anthropic": { "type": "anthropic" } } }""");

        var start = await _cli.RunAsync("start");

        start.ExitCode.ShouldBe(2, start.ToString());
        var output = start.Stdout + start.Stderr;
        output.ShouldContain($"{_home.Home.ConfigFile}:1: $.port must be a whole number");
        output.ShouldNotContain("System.");
        output.Split(_home.Home.ConfigFile).Length.ShouldBe(2, output);
    }
}
