using Microsoft.AspNetCore.Http;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;

namespace Switchboard.Tests.Team;

/// <summary>The HAProxy fixture really runs Debian's haproxy: round-robin over live backends, and its health check on /health.</summary>
public sealed class HaproxyServerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_AreSharedRoundRobinOverHealthyBackends()
    {
        await using var first = await BackendAsync("first", healthy: true);
        await using var second = await BackendAsync("second", healthy: true);
        await using var haproxy = await HaproxyServer.StartAsync(PortOf(first), PortOf(second));
        await haproxy.WaitForBackendsAsync("UP");

        using var http = new HttpClient { BaseAddress = new Uri(haproxy.BaseUrl) };
        var answers = new List<string>();
        for (var i = 0; i < 6; i++) answers.Add(await http.GetStringAsync("/who", Cancel));

        answers.Count(a => a == "first").ShouldBe(3, string.Join(",", answers));
        answers.Count(a => a == "second").ShouldBe(3, string.Join(",", answers));
        first.Requests.ShouldContain(r => r.Path == "/health", "haproxy checks health on /health");
    }

    [Fact]
    public async Task BackendFailingItsHealthCheck_IsTakenOutOfTheRotation()
    {
        await using var healthy = await BackendAsync("healthy", healthy: true);
        await using var sick = await BackendAsync("sick", healthy: false);
        await using var haproxy = await HaproxyServer.StartAsync(PortOf(healthy), PortOf(sick));

        await Eventually.WaitAsync(haproxy.BackendStatesAsync, states => states[0] == "UP" && states[1] == "DOWN",
            states => $"the healthy backend UP and the sick one DOWN (now {string.Join(", ", states)})", TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri(haproxy.BaseUrl) };
        for (var i = 0; i < 4; i++) (await http.GetStringAsync("/who", Cancel)).ShouldBe("healthy");
        sick.Requests.ShouldAllBe(r => r.Path == "/health", "only health checks reach a backend that is down");
    }

    private static Task<ScriptedUpstream> BackendAsync(string name, bool healthy) =>
        ScriptedUpstream.StartAsync((context, request) =>
        {
            if (request.Path == "/health") context.Response.StatusCode = healthy ? 200 : 503;
            return context.Response.WriteAsync(request.Path == "/health" ? "" : name);
        });

    private static int PortOf(ScriptedUpstream upstream) => new Uri(upstream.BaseUrl).Port;
}
