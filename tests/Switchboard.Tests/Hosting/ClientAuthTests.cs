using Microsoft.AspNetCore.Http;
using System.Net;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>Switchboard's own key (config <c>apiKey</c>) guards the door and never travels upstream.</summary>
public sealed class ClientAuthTests : UpstreamBehindSwitchboard
{
    private const string SwitchboardKey = "sb-local-key-123";

    protected override Func<HttpContext, RecordedRequest, Task> DefaultScript => (context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "ok"));

    protected override string Config(string upstreamBaseUrl) => RunningSwitchboard.AnthropicConfig(upstreamBaseUrl, extraTopLevel: $"\"apiKey\": \"{SwitchboardKey}\",");

    private async Task<HttpResponseMessage> Send(params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request()) };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await Switchboard.Client.SendAsync(request, Cancel);
    }

    [Fact]
    public async Task Messages_WithoutTheKey_Is401AndNothingGoesUpstream()
    {
        using var response = await Send(("x-api-key", "sk-ant-someone-elses"));

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error")).ShouldContain("x-switchboard-key");
        Upstream.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Statusline_IsBehindTheKeyToo()
    {
        using var refused = await Switchboard.Client.GetAsync("/api/statusline?session=s1", Cancel);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/statusline?session=s1");
        request.Headers.TryAddWithoutValidation("x-switchboard-key", SwitchboardKey);
        using var allowed = await Switchboard.Client.SendAsync(request, Cancel);

        await refused.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error");
        allowed.StatusCode.ShouldBe(HttpStatusCode.NotFound); // no request seen for that session yet
    }

    [Fact]
    public async Task Messages_KeyInItsOwnHeader_ForwardsTheClientsAnthropicCredentialOnly()
    {
        using var response = await Send(("x-switchboard-key", SwitchboardKey), ("authorization", "Bearer sk-ant-oat01-user"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = Upstream.Requests.ShouldHaveSingleItem();
        seen.Header("x-switchboard-key").ShouldBeNull();
        seen.Header("authorization").ShouldBe("Bearer sk-ant-oat01-user");
    }

    [Theory]
    [InlineData("x-api-key", SwitchboardKey)]
    [InlineData("authorization", "Bearer " + SwitchboardKey)]
    public async Task Messages_KeyAsTheClientCredential_IsNeverForwarded(string header, string value)
    {
        using var response = await Send((header, value));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = Upstream.Requests.ShouldHaveSingleItem();
        seen.Header("x-api-key").ShouldBeNull();
        seen.Header("authorization").ShouldBeNull();
        seen.BodyText.ShouldNotContain(SwitchboardKey);
    }
}
