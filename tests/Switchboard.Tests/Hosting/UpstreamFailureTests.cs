using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>Upstreams that are down, slow, or break off mid-stream; clients that leave.</summary>
public sealed class UpstreamFailureTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Messages_UpstreamDown_Is502NamingTheProviderAndDaemonKeepsServing()
    {
        // Given a provider whose address nothing listens on
        var closedPort = TestPorts.Free();
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig($"http://127.0.0.1:{closedPort}"));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadGateway, "api_error");
        message.ShouldBe($"Could not reach provider 'anthropic' at http://127.0.0.1:{closedPort}: connection refused. Is it running, and is its baseUrl right?");
        (await switchboard.Client.GetAsync("/health", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Messages_UpstreamSilentPastTimeout_Is504()
    {
        // Given an upstream that never answers, and the server on a clock the test moves
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var upstream = await ScriptedUpstream.StartAsync(async (context, _) =>
            await Task.Delay(Timeout.Infinite, context.RequestAborted));
        await using var switchboard = await RunningSwitchboard.StartAsync(
            RunningSwitchboard.AnthropicConfig(upstream.BaseUrl, """, "timeoutSeconds": 600"""), options => options with { Time = time });

        // When its ten minutes pass, on that clock, for each attempt once it has reached the upstream (the clock moves
        // in small steps until then, for the backoff between attempts, far too little to time an attempt out early)
        var pending = switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            for (var step = 0; step < 200 && upstream.Requests.Count < attempt && !pending.IsCompleted; step++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(pending, Task.Delay(25, Cancel));
            }
            time.Advance(TimeSpan.FromSeconds(600));
        }
        using var response = await pending.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        // Then the client gets a 504 naming the timeout, after the first attempt and the default two retries
        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.GatewayTimeout, "api_error")).ShouldContain("did not answer within 600 s");
        upstream.Requests.Count.ShouldBe(3);
        await upstream.RequestCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
    }

    [Fact]
    public async Task Messages_StreamCutMidEvent_EndsWithAnErrorEventAndNoHalfEvent()
    {
        // Given an upstream that sends one whole event and half of the next, then drops the connection
        // (only once the client has the whole event, so the drop cannot overtake the bytes before it)
        var whole = AnthropicWire.MessageStart("claude-x");
        var clientHasFirstEvent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(whole + "event: content_block_start\ndata: {\"type\":\"content_bl"));
            await context.Response.Body.FlushAsync();
            await clientHasFirstEvent.Task;
            context.Abort();
        });
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request()) };
        using var response = await switchboard.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));
        var text = new StringBuilder();
        var buffer = new char[256];
        while (!text.ToString().Contains(whole))
        {
            var read = await reader.ReadAsync(buffer, Cancel);
            if (read == 0) break;
            text.Append(buffer, 0, read);
        }
        clientHasFirstEvent.SetResult();
        text.Append(await reader.ReadToEndAsync(Cancel));

        // Then the client got the whole event, then a well-formed error event, and a clean end of stream
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var all = text.ToString();
        all.ShouldStartWith(whole + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Provider 'anthropic' ");
        all.ShouldEndWith("\n\n");
        all.ShouldNotContain("content_bl");
        // And the daemon keeps serving
        (await switchboard.Client.GetAsync("/health", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
        switchboard.Logs.All.ShouldContain("Upstream stream broke off");
    }

    [Fact]
    public async Task Messages_ClientDisconnects_CancelsTheUpstreamRequest()
    {
        // Given an upstream that starts a stream and then waits
        await using var upstream = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            await AnthropicWire.WriteSseAsync(context, AnthropicWire.MessageStart("claude-x"));
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request()) };
        var response = await switchboard.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        var body = await response.Content.ReadAsStreamAsync(Cancel);
        (await body.ReadAsync(new byte[16], Cancel)).ShouldBeGreaterThan(0);

        // When the client goes away
        response.Dispose();

        // Then Switchboard cancels the upstream request promptly, and keeps serving
        await upstream.RequestCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
        (await switchboard.Client.GetAsync("/health", Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
