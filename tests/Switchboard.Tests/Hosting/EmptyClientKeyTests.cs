using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// <c>apiKey: "$VAR"</c> with the variable empty fails closed: every protected endpoint is a 401 that names the
/// variable, and <c>/health</c> still answers, with a warning that says the same.
/// </summary>
public sealed class EmptyClientKeyTests : UpstreamBehindSwitchboard
{
    private const string Variable = "SWITCHBOARD_TEST_KEY_THAT_IS_NEVER_SET";

    protected override Func<HttpContext, RecordedRequest, Task> DefaultScript =>
        (context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "ok"));

    protected override string Config(string upstreamBaseUrl) =>
        RunningSwitchboard.AnthropicConfig(upstreamBaseUrl, extraTopLevel: $"\"apiKey\": \"${Variable}\",");

    [Theory]
    [InlineData("POST", "/v1/messages")]
    [InlineData("POST", "/v1/messages/count_tokens")]
    [InlineData("GET", "/v1/models")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/ui/api/config")]
    [InlineData("GET", "/api/statusline?session=s")]
    public async Task AnyProtectedEndpoint_KeyVariableEmpty_Is401NamingTheVariable(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = AnthropicWire.Json(AnthropicWire.Request());
        // Whatever a client presents, even an empty key, cannot match a key that is not there.
        request.Headers.TryAddWithoutValidation("x-switchboard-key", "");

        using var response = await Switchboard.Client.SendAsync(request, Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error");
        message.ShouldContain(Variable);
        message.ShouldContain("restart");
        Upstream.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Health_KeyVariableEmpty_AnswersDegradedWithTheWarning()
    {
        using var response = await Switchboard.Client.GetAsync("/health", Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        health["status"]!.GetValue<string>().ShouldBe("degraded");
        health["warnings"]!.AsArray().ShouldHaveSingleItem()!.GetValue<string>().ShouldContain(Variable);
    }
}
