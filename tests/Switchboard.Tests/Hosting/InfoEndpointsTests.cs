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

public sealed class DiscoveryEndpointsTests : IAsyncLifetime
{
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _switchboard = await RunningSwitchboard.StartAsync("""
        {
          "defaultProvider": "claude",
          "providers": {
            "claude": { "type": "anthropic", "models": ["claude-sonnet-4-5", "claude-haiku-4-5"] },
            "gateway": { "type": "anthropic", "baseUrl": "http://127.0.0.1:1", "models": ["claude-opus-via-gateway"] }
          }
        }
        """);

    public ValueTask DisposeAsync() => _switchboard.DisposeAsync();

    [Fact]
    public async Task Models_ListsEveryConfiguredModelWithRoutableIds()
    {
        using var models = JsonDocument.Parse(await _switchboard.Client.GetStringAsync("/v1/models?limit=1000", Cancel));

        var data = models.RootElement.GetProperty("data").EnumerateArray().ToList();
        data.Select(m => m.GetProperty("id").GetString()).ShouldBe(["claude-sonnet-4-5", "claude-haiku-4-5", "gateway:claude-opus-via-gateway"]);
        data.ShouldAllBe(m => m.GetProperty("type").GetString() == "model");
        data[2].GetProperty("display_name").GetString().ShouldBe("claude-opus-via-gateway (gateway)");
        models.RootElement.GetProperty("has_more").GetBoolean().ShouldBeFalse();
        models.RootElement.GetProperty("first_id").GetString().ShouldBe("claude-sonnet-4-5");
    }

    [Fact]
    public async Task Models_Paged_FollowsAfterId()
    {
        using var first = JsonDocument.Parse(await _switchboard.Client.GetStringAsync("/v1/models?limit=2", Cancel));
        first.RootElement.GetProperty("has_more").GetBoolean().ShouldBeTrue();
        var last = first.RootElement.GetProperty("last_id").GetString();

        using var second = JsonDocument.Parse(await _switchboard.Client.GetStringAsync($"/v1/models?limit=2&after_id={last}", Cancel));

        second.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString())
            .ShouldBe(["gateway:claude-opus-via-gateway"]);
        second.RootElement.GetProperty("has_more").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Hello_HeadAndGet_Answer200()
    {
        using var head = await _switchboard.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/hello"), Cancel);
        using var get = await _switchboard.Client.GetAsync("/api/hello", Cancel);

        head.StatusCode.ShouldBe(HttpStatusCode.OK);
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Root_SaysNameAndVersion()
    {
        using var root = JsonDocument.Parse(await _switchboard.Client.GetStringAsync("/", Cancel));

        root.RootElement.GetProperty("name").GetString().ShouldBe("switchboard");
        root.RootElement.GetProperty("version").GetString().ShouldBe("0.1.0");
    }
}
