using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>
/// What a web page can make a browser send to the daemon is refused before it reaches a provider: another site's
/// <c>Origin</c> or <c>Sec-Fetch-Site</c> is a 403, a body that is not JSON a 415. Programs (curl, Claude Code) are
/// unaffected.
/// </summary>
public sealed class RequestGuardTests : UpstreamBehindSwitchboard
{
    protected override Func<HttpContext, RecordedRequest, Task> DefaultScript =>
        (context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "ok"));

    private async Task<HttpResponseMessage> PostAsync(string contentType, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(AnthropicWire.Request())),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await Switchboard.Client.SendAsync(request, Cancel);
    }

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "http://localhost:3000")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task Messages_FromAnotherSite_Is403AndNothingGoesUpstream(string header, string value)
    {
        using var response = await PostAsync("application/json", (header, value));

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Forbidden, "permission_error")).ShouldContain("web page");
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        Upstream.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain;charset=UTF-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task Messages_BodyThatIsNotJson_Is415NamingJsonAndNothingGoesUpstream(string contentType)
    {
        using var response = await PostAsync(contentType);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.UnsupportedMediaType, "invalid_request_error"))
            .ShouldContain("application/json");
        Upstream.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    public async Task Messages_AProgramsRequest_IsServed(string contentType)
    {
        using var response = await PostAsync(contentType);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        Upstream.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Messages_FromItsOwnOrigin_IsServed()
    {
        using var response = await PostAsync("application/json",
            ("Origin", Switchboard.Address.GetLeftPart(UriPartial.Authority)), ("Sec-Fetch-Site", "same-origin"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task DashboardPage_OpenedFromALinkOnAnotherSite_IsServed_ButItsApiIsNot()
    {
        using var page = new HttpRequestMessage(HttpMethod.Get, "/ui/");
        page.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "cross-site");
        page.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "navigate");
        using var api = new HttpRequestMessage(HttpMethod.Get, "/ui/api/summary");
        api.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "cross-site");
        api.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "navigate");

        using var pageResponse = await Switchboard.Client.SendAsync(page, Cancel);
        using var apiResponse = await Switchboard.Client.SendAsync(api, Cancel);

        pageResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        apiResponse.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Messages_AnotherHostNameWithoutAKey_Is403()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request()) };
        request.Headers.Host = $"rebound.example:{Switchboard.Address.Port}";

        using var response = await Switchboard.Client.SendAsync(request, Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Forbidden, "permission_error")).ShouldContain("127.0.0.1");
        Upstream.Requests.ShouldBeEmpty();
    }
}
