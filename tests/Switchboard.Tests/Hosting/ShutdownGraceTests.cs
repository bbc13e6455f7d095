using System.Net;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.AnthropicWire;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// A daemon told to stop (SIGTERM, a restart, a replica replaced behind a load balancer) ends the streams still open
/// when its grace runs out with an <c>overloaded_error</c> event, which Claude Code retries, never a cut connection.
/// </summary>
public sealed class ShutdownGraceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stopping_MidStream_EndsTheStreamWithAnOverloadedErrorEvent_AndCancelsTheUpstream()
    {
        await using var upstream = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            await WriteSseAsync(context, MessageStart("claude-sonnet-4-5") +
                Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""") +
                Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"half an answer"}}"""));
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        await using var switchboard = await RunningSwitchboard.StartAsync(
            RunningSwitchboard.AnthropicConfig(upstream.BaseUrl, extraTopLevel: "\"shutdownGraceSeconds\": 0,"));
        using var response = await switchboard.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json(Request()) }, HttpCompletionOption.ResponseHeadersRead, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));
        var seen = "";
        while (!seen.Contains("half an answer", StringComparison.Ordinal)) seen += await reader.ReadLineAsync(Cancel) + "\n";

        switchboard.Server.BeginStopping();

        var rest = await reader.ReadToEndAsync(Cancel).WaitAsync(TimeSpan.FromSeconds(20), Cancel);
        rest.ShouldContain("event: error");
        rest.ShouldContain("\"overloaded_error\"");
        rest.ShouldContain("is stopping");
        await upstream.RequestCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);
    }
}
