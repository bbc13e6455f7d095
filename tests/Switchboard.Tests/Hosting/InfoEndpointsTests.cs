using System.Net;
using System.Text.Json;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

public sealed class InfoEndpointsTests
{
    [Fact]
    public async Task Health_WithValidConfig_ReportsOkVersionAndProviders()
    {
        await using var upstream = await ScriptedUpstream.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl));

        using var response = await switchboard.Client.GetAsync("/health", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        health.RootElement.GetProperty("status").GetString().ShouldBe("ok");
        health.RootElement.GetProperty("version").GetString().ShouldBe("0.1.0");
        health.RootElement.GetProperty("config").GetProperty("valid").GetBoolean().ShouldBeTrue();
        health.RootElement.GetProperty("providers")[0].GetProperty("baseUrl").GetString().ShouldBe(upstream.BaseUrl);
    }
}
