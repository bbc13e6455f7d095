using System.Net;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>Whose key reaches Gemini: the provider's own, and what to do when there is none.</summary>
public sealed class GeminiCredentialTests : GeminiTestBase
{
    [Fact]
    public async Task Messages_OnlyTheProvidersKeyReachesGemini()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("gemini-2.5-pro")) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-SECRET");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-SECRET");

        using var response = await Switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = Gemini.Requests.Single();
        seen.Header("x-goog-api-key").ShouldBe(ScriptedGemini.Key);
        seen.Header("x-api-key").ShouldBeNull();
        seen.Header("authorization").ShouldBeNull();
        seen.BodyText.ShouldNotContain("SECRET");
    }

    [Fact]
    public async Task Messages_NoKeyConfigured_SaysHowToSetOne()
    {
        await using var keyless = await RunningSwitchboard.StartAsync(Gemini.Config(apiKey: "$SWITCHBOARD_TEST_UNSET_GEMINI_KEY"));

        using var response = await keyless.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gemini-2.5-pro")), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error");
        message.ShouldContain("GEMINI_API_KEY");
        Gemini.Requests.ShouldBeEmpty();
    }
}
