using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>The <c>anthropic</c> provider forwards requests as sent and relays replies as received.</summary>
public sealed class PassThroughTests : UpstreamBehindSwitchboard
{
    [Fact]
    public async Task Messages_SubscriptionRequest_ForwardsCredentialsBetasQueryAndBodyVerbatim()
    {
        // Given an upstream that answers a stream
        Upstream.Script((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("claude-opus-5-5", "hello")));
        // (odd spacing and key order on purpose: the body must arrive byte for byte)
        var body = "{ \"model\":\"claude-opus-5-5\",  \"stream\":true,\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"x_future\":1}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages?beta=true") { Content = AnthropicWire.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-ant-oat01-subscription-token");
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        request.Headers.TryAddWithoutValidation("anthropic-beta", "oauth-2025-04-20,claude-code-20250219, interleaved-thinking-2025-05-14");
        request.Headers.TryAddWithoutValidation("x-app", "cli");
        request.Headers.TryAddWithoutValidation("Proxy-Authorization", "Basic hop-by-hop");

        // When Claude Code's request goes through Switchboard
        using var response = await Switchboard.Client.SendAsync(request, Cancel);

        // Then the upstream saw exactly what the client sent
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = Upstream.Requests.ShouldHaveSingleItem();
        seen.Path.ShouldBe("/v1/messages");
        seen.Query.ShouldBe("?beta=true");
        seen.Header("authorization").ShouldBe("Bearer sk-ant-oat01-subscription-token");
        seen.Header("anthropic-version").ShouldBe("2023-06-01");
        seen.Header("anthropic-beta").ShouldBe("oauth-2025-04-20,claude-code-20250219, interleaved-thinking-2025-05-14");
        seen.Header("x-app").ShouldBe("cli");
        seen.Header("x-api-key").ShouldBeNull();
        seen.BodyText.ShouldBe(body);
        // And hop-by-hop headers stayed on the first hop
        seen.Header("proxy-authorization").ShouldBeNull();
    }

    [Fact]
    public async Task Messages_ApiKeyClient_ForwardsTheKeyUntouched()
    {
        Upstream.Script((context, _) => AnthropicWire.WriteJsonAsync(context, AnthropicWire.TextMessage("m", "ok")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(stream: false)) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-client-key");

        using var response = await Switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Upstream.Requests.ShouldHaveSingleItem().Header("x-api-key").ShouldBe("sk-ant-api03-client-key");
    }

    [Fact]
    public async Task Messages_Streaming_RelaysTheUpstreamBytesExactly()
    {
        var stream = AnthropicWire.TextStream("claude-x", "streamed 日本 🚀");
        // Written in awkward pieces, as a network would deliver them
        Upstream.Script((context, _) => AnthropicWire.WriteSseInPiecesAsync(context, stream));

        using var response = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldBe(stream);
    }

    [Fact]
    public async Task Messages_NonStreaming_RelaysStatusHeadersAndBody()
    {
        var message = AnthropicWire.TextMessage("claude-x", "whole");
        Upstream.Script((context, _) =>
        {
            context.Response.Headers["request-id"] = "req_123";
            return AnthropicWire.WriteJsonAsync(context, message);
        });

        using var response = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("request-id").ShouldBe(["req_123"]);
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldBe(message);
    }

    [Theory]
    [InlineData(400, "invalid_request_error", "messages.1.content.0.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'", 1)]
    [InlineData(401, "authentication_error", "OAuth token has expired. Please obtain a new token or refresh your existing token.", 1)]
    [InlineData(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", 3)]
    [InlineData(500, "api_error", "Internal server error", 3)]
    [InlineData(529, "overloaded_error", "Overloaded", 3)]
    public async Task Messages_UpstreamError_ReachesTheClientUnmodified(int status, string type, string message, int attempts)
    {
        // Given an upstream error, worded as Anthropic words it (Claude Code matches on the wording)
        var error = AnthropicWire.Error(type, message);
        Upstream.Script((context, _) =>
        {
            context.Response.Headers["retry-after"] = "7";
            return AnthropicWire.WriteJsonAsync(context, error, status);
        });
        // (on a clock the test moves, so the retries' 7 s waits take no real time)
        var clock = new FakeTimeProvider();
        await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(Upstream.BaseUrl), options => options with { Time = clock });

        using var response = await clock.AdvanceUntilDoneAsync(switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel));

        // Then status, body and retry-after arrive as the upstream sent them
        ((int)response.StatusCode).ShouldBe(status);
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldBe(error);
        response.Headers.GetValues("retry-after").ShouldBe(["7"]);
        // And only what another attempt may fix was tried again, twice (the default retry.attempts)
        Upstream.Requests.Count.ShouldBe(attempts);
    }

    [Fact]
    public async Task Messages_ProviderPrefixedModel_SendsTheBareModelAndKeepsTheRest()
    {
        Upstream.Script((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("claude-haiku-4-5", "ok")));
        var body = """{"model":"anthropic:claude-haiku-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"adaptive"},"x_future":{"a":1}}""";

        using var response = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(body), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var seen = JsonDocument.Parse(Upstream.Requests.ShouldHaveSingleItem().Body);
        seen.RootElement.GetProperty("model").GetString().ShouldBe("claude-haiku-4-5");
        seen.RootElement.GetProperty("thinking").GetProperty("type").GetString().ShouldBe("adaptive");
        seen.RootElement.GetProperty("x_future").GetProperty("a").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task CountTokens_AnthropicTarget_IsForwardedToCountTokens()
    {
        Upstream.Script((context, _) => AnthropicWire.WriteJsonAsync(context, """{"input_tokens":1234}"""));
        var body = """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"count me"}]}""";

        using var response = await Switchboard.Client.PostAsync("/v1/messages/count_tokens?beta=true", AnthropicWire.Json(body), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldBe("""{"input_tokens":1234}""");
        var seen = Upstream.Requests.ShouldHaveSingleItem();
        seen.Path.ShouldBe("/v1/messages/count_tokens");
        seen.Query.ShouldBe("?beta=true");
        seen.BodyText.ShouldBe(body);
    }
}
