using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Switchboard.Config;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers;

/// <summary>
/// <c>proxyUrl</c> (CCR's <c>PROXY_URL</c>): upstream requests go through an HTTP proxy, with its login, except those to
/// this machine. The proxy is a scripted server on loopback that asks for its login (407) and then answers as the
/// upstream would, so nothing leaves the machine: the upstream's host name is never even looked up.
/// </summary>
public sealed class UpstreamProxyTests : IAsyncLifetime
{
    private const string RemoteUpstream = "http://api.upstream.invalid:8443";
    private static readonly string ProxyLogin = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("team:s3cret"));
    private ScriptedUpstream _proxy = null!;
    private ScriptedUpstream _local = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _proxy = await ScriptedUpstream.StartAsync(async (context, request) =>
        {
            if (request.Header("proxy-authorization") != ProxyLogin)
            {
                context.Response.Headers.ProxyAuthenticate = "Basic realm=\"proxy\"";
                context.Response.StatusCode = 407;
                return;
            }
            await AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "via the proxy"));
        });
        _local = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "direct")));
        var proxyUrl = _proxy.BaseUrl.Replace("http://", "http://team:s3cret@");
        _switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "proxyUrl": "{{proxyUrl}}",
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "{{RemoteUpstream}}" },
                "local": { "type": "anthropic", "baseUrl": "{{_local.BaseUrl}}" }
              }
            }
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _local.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task RemoteUpstream_IsReachedThroughTheProxy_WithItsLogin_WhichNeverReachesTheLog()
    {
        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("via the proxy");
        var proxied = _proxy.Requests.Last();
        proxied.Header("host").ShouldBe("api.upstream.invalid:8443");
        (proxied.Method, proxied.Path).ShouldBe(("POST", "/v1/messages"));
        _local.Requests.ShouldBeEmpty();
        _switchboard.Logs.All.ShouldNotContain("s3cret");
    }

    [Fact]
    public async Task ProxyUrl_Edited_AppliesToTheNextRequestWithoutRestart()
    {
        (await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel)).Dispose();
        await using var other = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "via the other proxy")));

        _switchboard.Home.WriteConfig($$"""
            { "proxyUrl": "{{other.BaseUrl}}", "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{RemoteUpstream}}" } } }
            """);
        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("via the other proxy");
        other.Requests.ShouldHaveSingleItem().Header("host").ShouldBe("api.upstream.invalid:8443");
    }

    [Fact]
    public async Task UpstreamOnThisMachine_IsReachedDirectly()
    {
        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("local:claude-sonnet-4-5")), Cancel);

        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("direct");
        _local.Requests.ShouldHaveSingleItem();
        _proxy.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task ProxyThatIsNotRunning_IsNamedAsWhatToFix_NotTheProvider()
    {
        var deadPort = TestPorts.Free();
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            { "proxyUrl": "http://team:s3cret@127.0.0.1:{{deadPort}}", "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{RemoteUpstream}}" } } }
            """);

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadGateway, "api_error");
        message.ShouldBe($"Could not reach provider 'anthropic' through the proxy http://127.0.0.1:{deadPort}: " +
                         "the proxy could not be reached (connection refused). Is the proxy running, and is proxyUrl (or HTTPS_PROXY) right?");
        switchboard.Logs.All.ShouldNotContain("s3cret");
        // Retrying cannot start the proxy: Claude Code would retry a plain 502 for minutes in silence.
        response.Headers.GetValues("x-should-retry").ShouldBe(["false"]);
    }

    [Fact]
    public async Task ProviderThatRefusesTheConnection_TellsTheClientNotToRetry()
    {
        var deadPort = TestPorts.Free();
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            { "providers": { "anthropic": { "type": "anthropic", "baseUrl": "http://127.0.0.1:{{deadPort}}" } } }
            """);

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadGateway, "api_error")).ShouldContain("Is it running, and is its baseUrl right?");
        response.Headers.GetValues("x-should-retry").ShouldBe(["false"]);
    }

    [Fact]
    public async Task ProviderThatIsOverloaded_StaysRetryable()
    {
        await using var overloaded = await ScriptedUpstream.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 529;
            return context.Response.WriteAsync("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""");
        });
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            { "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{overloaded.BaseUrl}}" } } }
            """);

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);

        ((int)response.StatusCode).ShouldBe(529);
        response.Headers.Contains("x-should-retry").ShouldBeFalse();
    }

    [Fact]
    public async Task ProxyThatRefusesATunnel_IsNamed_WithWhereTheTunnelWasFor()
    {
        await using var refusing = await ScriptedUpstream.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 502;
            return Task.CompletedTask;
        });
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            { "proxyUrl": "{{refusing.BaseUrl}}", "providers": { "anthropic": { "type": "anthropic", "baseUrl": "https://api.upstream.invalid:8443" } } }
            """);

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadGateway, "api_error");
        message.ShouldStartWith($"Could not reach provider 'anthropic' through the proxy {refusing.BaseUrl.TrimEnd('/')}: " +
                                "the proxy would not open a tunnel to https://api.upstream.invalid:8443 (");
        response.Headers.GetValues("x-should-retry").ShouldBe(["false"]);
        message.ShouldNotContain("baseUrl");
    }

    [Theory]
    [InlineData("127.0.0.1:7890")]
    [InlineData("socks5://127.0.0.1:1080")]
    public void ProxyUrl_NotAnHttpUrl_IsAConfigErrorSayingWhatItWants(string url)
    {
        var (_, errors) = ConfigLoader.Parse("{\"proxyUrl\": \"" + url + "\", \"providers\": {\"anthropic\": {\"type\": \"anthropic\"}}}", "config.json",
            Switchboard.Providers.ProviderRegistry.CreateDefault(new Switchboard.Providers.UpstreamClient()));

        errors.ShouldHaveSingleItem().ToString().ShouldContain("$.proxyUrl must be an http:// or https:// URL such as http://127.0.0.1:7890");
    }
}
