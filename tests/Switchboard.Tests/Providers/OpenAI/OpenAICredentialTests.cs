using System.Net;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>Whose credentials reach an OpenAI-compatible server: the provider's own key, and nothing of the client's.</summary>
public sealed class OpenAICredentialTests : OpenAITestBase
{
    // The key as written in the config: reading it from the environment is OpenAITransformerTests.Headers_AreSentWithEnvironmentVariablesExpanded's.
    protected override string ProviderKeys => """, "apiKey": "sk-provider-own-key", "headers": {"X-Team": "blue"}""";

    [Fact]
    public async Task Messages_ClientsAnthropicCredentials_NeverReachTheServer_AndItsOwnKeyGoesAsBearer()
    {
        // Given Claude Code's API key, its subscription's OAuth token and its Anthropic headers
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(Request()) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-CLIENT-SECRET");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-CLIENT-SECRET");
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        request.Headers.TryAddWithoutValidation("anthropic-beta", "oauth-2025-04-20");

        using var response = await Switchboard.Client.SendAsync(request, Cancel);

        // Then the server saw only the provider's key, as a Bearer token, and the configured header
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = OpenAI.Requests.ShouldHaveSingleItem();
        seen.Header("authorization").ShouldBe("Bearer sk-provider-own-key");
        seen.Header("x-api-key").ShouldBeNull();
        seen.Header("anthropic-version").ShouldBeNull();
        seen.Header("anthropic-beta").ShouldBeNull();
        seen.Header("X-Team").ShouldBe("blue");
        seen.Headers.Values.SelectMany(v => v).ShouldAllBe(v => v == null || !v.Contains("CLIENT-SECRET"));
        seen.BodyText.ShouldNotContain("CLIENT-SECRET");
    }

    [Fact]
    public async Task Messages_ProviderKey_NeverReachesTheClientOrTheLog()
    {
        using var response = await PostAsync(Request(stream: false));

        (await response.Content.ReadAsStringAsync(Cancel)).ShouldNotContain("sk-provider-own-key");
        Switchboard.Logs.All.ShouldNotContain("sk-provider-own-key");
    }
}
