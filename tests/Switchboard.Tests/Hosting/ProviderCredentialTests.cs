using System.Net;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Hosting;

/// <summary>A provider's own key (with <c>$VAR</c> read per request) replaces the client's credentials.</summary>
public sealed class ProviderCredentialTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Messages_ProviderApiKeyFromEnvironment_IsReadAtRequestTimeAndReplacesClientCredentials()
    {
        var variable = "SB_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(variable, "sk-provider-one");
        try
        {
            await using var upstream = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "ok")));
            await using var switchboard = await RunningSwitchboard.StartAsync(RunningSwitchboard.AnthropicConfig(upstream.BaseUrl,
                ", \"apiKey\": \"${" + variable + "}\", \"headers\": {\"x-team\": \"$" + variable + "-team\"}"));

            async Task<RecordedRequest> SendAsync()
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request()) };
                request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-user-token");
                using var response = await switchboard.Client.SendAsync(request, Cancel);
                response.StatusCode.ShouldBe(HttpStatusCode.OK);
                return upstream.Requests.Last();
            }

            var first = await SendAsync();
            first.Header("x-api-key").ShouldBe("sk-provider-one");
            first.Header("authorization").ShouldBeNull();
            first.Header("x-team").ShouldBe("sk-provider-one-team");

            // When the environment changes, the next request uses the new value without a reload
            Environment.SetEnvironmentVariable(variable, "sk-provider-two");
            (await SendAsync()).Header("x-api-key").ShouldBe("sk-provider-two");
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
