using System.Net;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedBedrock;

namespace Switchboard.Tests.Providers.Bedrock;

/// <summary>How requests to Bedrock are authorised: a Bedrock API key, a profile, AWS's chain; never the client's credentials.</summary>
public sealed class BedrockCredentialTests : BedrockTestBase
{
    [Fact]
    public async Task Auth_BedrockApiKey_IsABearerTokenAndNoClientCredentialGoesUp()
    {
        await using var keyed = await RunningSwitchboard.StartAsync(Bedrock.Config(auth: $"\"apiKey\": \"{ApiKey}\""));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(Haiku)) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-SECRET");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-SECRET");

        using var response = await keyed.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = Bedrock.Requests.Single();
        seen.Header("authorization").ShouldBe("Bearer " + ApiKey);
        seen.Header("x-api-key").ShouldBeNull();
        seen.Header("x-amz-date").ShouldBeNull();
        seen.BodyText.ShouldNotContain("SECRET");
    }

    [Fact]
    public async Task Auth_ClientCredentials_NeverReachBedrockWhenSigning()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(Haiku)) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-SECRET");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-SECRET");

        using var response = await Switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = Bedrock.Requests.Single();
        seen.Header("x-api-key").ShouldBeNull();
        seen.Header("authorization")!.ShouldStartWith("AWS4-HMAC-SHA256");
        Bedrock.Refusals.ShouldBeEmpty();
    }

    [Fact]
    public async Task Auth_EnvironmentCredentials_SignThroughAwsDefaultChain()
    {
        // No profile and no key in config: AWS's own chain finds the keys in the server's environment.
        await using var chained = await PublishedServer.StartBuiltAsync(Bedrock.Config(auth: "\"timeoutSeconds\": 30"),
            TestAwsProfile.ServerEnvironment(("AWS_ACCESS_KEY_ID", AccessKey), ("AWS_SECRET_ACCESS_KEY", SecretKey)));

        using var response = await chained.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        Bedrock.Refusals.ShouldBeEmpty();
        Bedrock.Requests.Single().Header("authorization")!.ShouldStartWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/");
    }

    [Fact]
    public async Task Auth_WrongSecret_IsRefusedByBedrockAndSaysToCheckTheCredentials()
    {
        await using var wrong = await RunningSwitchboard.StartAsync(Bedrock.Config(auth: "\"profile\": \"wrong-secret\""));

        using var response = await wrong.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error");
        message.ShouldContain("InvalidSignatureException");
        Bedrock.Refusals.Single().ShouldStartWith("signature mismatch");
    }

    [Fact]
    public async Task Auth_UnknownProfileOrNoRegion_IsAClearErrorAndNothingIsSent()
    {
        await using var unknown = await RunningSwitchboard.StartAsync(Bedrock.Config(auth: "\"profile\": \"no-such-profile\""));
        using var noProfile = await unknown.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel);
        (await noProfile.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error")).ShouldContain("'no-such-profile' was not found");

        // (in its own process, whose environment has no AWS_REGION whatever this machine's has)
        await using var regionless = await PublishedServer.StartBuiltAsync(
            Bedrock.Config().Replace($"\"region\": \"{Region}\",", ""), TestAwsProfile.ServerEnvironment());
        using var noRegion = await regionless.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel);
        (await noRegion.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("no AWS region");
        Bedrock.Requests.ShouldBeEmpty();
    }
}
