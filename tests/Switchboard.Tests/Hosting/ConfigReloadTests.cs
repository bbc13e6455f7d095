using System.Net;
using System.Text.Json;
using Shouldly;
using Switchboard.Config;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>Edits to config.json take effect on the next request; broken edits never stop the daemon.</summary>
public sealed class ConfigReloadTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Messages_AfterEditingBaseUrl_GoToTheNewUpstreamWithoutRestart()
    {
        await using var first = await ScriptedUpstream.StartAsync((c, _) => AnthropicWire.WriteSseAsync(c, AnthropicWire.TextStream("m", "from first")));
        await using var second = await ScriptedUpstream.StartAsync((c, _) => AnthropicWire.WriteSseAsync(c, AnthropicWire.TextStream("m", "from second")));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(first.BaseUrl));

        switchboard.Home.WriteConfig(RunningSwitchboard.AnthropicConfig(second.BaseUrl));
        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("from second");
        first.Requests.ShouldBeEmpty();
        switchboard.Logs.All.ShouldContain("Config reloaded");
    }

    [Fact]
    public async Task Messages_AfterBrokenEdit_LastGoodConfigServesAndHealthSaysWhatIsWrong()
    {
        await using var upstream = await ScriptedUpstream.StartAsync((c, _) => AnthropicWire.WriteSseAsync(c, AnthropicWire.TextStream("m", "still good")));
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl));
        const string broken = """{"providers": {"anthropic": {"type": "anthropic", "baseUrl": "http://127.0.0.1:1"}}, "defaultProvider": "ollama"}""";

        // When the user saves a config that names a provider that does not exist
        switchboard.Home.WriteConfig(broken);
        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        // Then requests keep going to the last good config
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("still good");
        // And /health reports the problem with file and path, and the log says it once
        using var health = JsonDocument.Parse(await switchboard.Client.GetStringAsync("/health", Cancel));
        health.RootElement.GetProperty("status").GetString().ShouldBe("degraded");
        var config = health.RootElement.GetProperty("config");
        config.GetProperty("valid").GetBoolean().ShouldBeFalse();
        config.GetProperty("problems")[0].GetString().ShouldBe(
            $"{switchboard.Home.Home.ConfigFile}: $.defaultProvider: 'ollama' is not a configured provider; configured: anthropic");
        switchboard.Logs.All.ShouldContain("Config edit rejected");
        // And the user's file is left exactly as they saved it
        File.ReadAllText(switchboard.Home.Home.ConfigFile).ShouldBe(broken);
    }

    [Fact]
    public void Create_NonLoopbackHostWithoutApiKey_RefusesToStart()
    {
        using var home = new TempHome();
        home.WriteConfig("""{"providers": {"anthropic": {"type": "anthropic"}}}""");

        var failure = Should.Throw<ConfigException>(() => Switchboard.Hosting.SwitchboardServer.Create(
            new Switchboard.Hosting.ServerOptions { Home = home.Home, Port = 0, Host = "0.0.0.0" }));

        failure.Message.ShouldContain("refusing to bind '0.0.0.0' without apiKey");
    }
}
