using Microsoft.AspNetCore.Http;
using System.Net;
using System.Text;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>Bad requests get a clear Anthropic error, never reach an upstream, and leave the daemon serving.</summary>
public sealed class BadInputTests : UpstreamBehindSwitchboard
{
    protected override Func<HttpContext, RecordedRequest, Task> DefaultScript => (context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "still serving"));

    public override async ValueTask DisposeAsync()
    {
        // Whatever the test sent, the daemon still answers a good request afterwards
        using (var response = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request())))
            (await response.Content.ReadAsStringAsync()).ShouldContain("still serving");
        await base.DisposeAsync();
    }

    private async Task<string> PostExpectingError(string path, string body, HttpStatusCode status, string type)
    {
        using var response = await Switchboard.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
        var message = await response.ShouldBeAnthropicErrorAsync(status, type);
        Upstream.Requests.ShouldBeEmpty();
        return message;
    }

    [Fact]
    public async Task Messages_MalformedJson_Is400WithTheParserComplaint()
    {
        var message = await PostExpectingError("/v1/messages", "{\"model\": \"m\", ", HttpStatusCode.BadRequest, "invalid_request_error");

        message.ShouldStartWith("The request body is not valid JSON (line 1, column 16): ");
    }

    [Fact]
    public async Task Messages_WrongFieldType_Is400NamingThePath()
    {
        var message = await PostExpectingError("/v1/messages",
            """{"model":"m","max_tokens":"lots","messages":[]}""", HttpStatusCode.BadRequest, "invalid_request_error");

        message.ShouldBe("max_tokens: Input should be a valid integer");
    }

    [Theory]
    [InlineData("""{"max_tokens":5,"messages":[{"role":"user","content":"x"}]}""", "model: Field required")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", "max_tokens: Field required")]
    [InlineData("""{"model":"m","max_tokens":5}""", "messages: Field required")]
    public async Task Messages_MissingRequiredField_Is400NamingIt(string body, string expected) =>
        (await PostExpectingError("/v1/messages", body, HttpStatusCode.BadRequest, "invalid_request_error")).ShouldBe(expected);

    [Fact]
    public async Task Messages_EmptyBody_Is400()
    {
        var message = await PostExpectingError("/v1/messages", "", HttpStatusCode.BadRequest, "invalid_request_error");

        message.ShouldContain("empty");
    }

    [Fact]
    public async Task Messages_UnknownProvider_Is400ListingTheConfiguredOnes()
    {
        var message = await PostExpectingError("/v1/messages", AnthropicWire.Request(model: "openrouter,gpt-5"),
            HttpStatusCode.BadRequest, "invalid_request_error");

        message.ShouldBe("Unknown provider 'openrouter' in model 'openrouter,gpt-5'. Configured providers: anthropic.");
    }

    [Fact]
    public async Task Messages_OverThe32MbLimit_Is413()
    {
        var huge = AnthropicWire.Request(text: new string('x', 33 * 1024 * 1024));

        var message = await PostExpectingError("/v1/messages", huge, HttpStatusCode.RequestEntityTooLarge, "request_too_large");

        message.ShouldContain("32 MB");
    }

    [Fact]
    public async Task UnknownRoute_Is404InAnthropicShape()
    {
        using var response = await Switchboard.Client.GetAsync("/v1/complete", Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.NotFound, "not_found_error")).ShouldContain("/v1/complete");
    }

    [Fact]
    public async Task WrongMethod_Is405InAnthropicShape()
    {
        using var response = await Switchboard.Client.GetAsync("/v1/messages", Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.MethodNotAllowed, "invalid_request_error")).ShouldContain("GET /v1/messages");
    }
}
