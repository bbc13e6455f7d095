using System.Net;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Providers;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers;

/// <summary>
/// A model name goes into Gemini's and Bedrock's URLs as one escaped path segment: it can neither walk out of
/// <c>/models/</c> nor rewrite the query that carries the provider's key.
/// </summary>
public sealed class PathSegmentTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("gemini-2.5-pro", "gemini-2.5-pro")]
    [InlineData("../../etc/passwd", "..%2F..%2Fetc%2Fpasswd")]
    [InlineData("x?key=stolen#frag", "x%3Fkey%3Dstolen%23frag")]
    [InlineData("a%2Fb c", "a%252Fb%20c")]
    [InlineData("us.anthropic.claude-sonnet-4-5-v1:0", "us.anthropic.claude-sonnet-4-5-v1%3A0")]
    public void Escape_KeepsEveryCharacterAsData(string model, string segment) => PathSegment.Escape(model).ShouldBe(segment);

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    public void Escape_DotSegment_IsRefused(string model) =>
        Should.Throw<AnthropicErrorException>(() => PathSegment.Escape(model)).Error.Status.ShouldBe(400);

    [Fact]
    public async Task Gemini_ModelNameWithSlashesAndQuery_StaysOneSegment_ForGenerateAndCountTokens()
    {
        await using var gemini = await ScriptedGemini.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(gemini.Config());
        var body = AnthropicWire.Request(model: "gemini:../../x?key=stolen", stream: false);

        using var generated = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(body), Cancel);
        using var counted = await switchboard.Client.PostAsync("/v1/messages/count_tokens", AnthropicWire.Json(body), Cancel);

        generated.StatusCode.ShouldBe(HttpStatusCode.OK, await generated.Content.ReadAsStringAsync(Cancel));
        counted.StatusCode.ShouldBe(HttpStatusCode.OK, await counted.Content.ReadAsStringAsync(Cancel));
        gemini.Requests.Select(r => r.RawTarget).ShouldBe(
            ["/v1beta/models/..%2F..%2Fx%3Fkey%3Dstolen:generateContent", "/v1beta/models/..%2F..%2Fx%3Fkey%3Dstolen:countTokens"]);
        gemini.Requests.ShouldAllBe(r => r.Query == "" && r.Header("x-goog-api-key") == ScriptedGemini.Key);
    }

    [Fact]
    public async Task Bedrock_ModelIdWithSlashes_StaysOneSegment_AndStillSigns()
    {
        TestAwsProfile.Install();
        await using var bedrock = await ScriptedBedrock.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(bedrock.Config());

        using var response = await switchboard.Client.PostAsync("/v1/messages",
            AnthropicWire.Json(AnthropicWire.Request(model: "bedrock:../converse?x=1", stream: false)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        bedrock.Requests.ShouldHaveSingleItem().RawTarget.ShouldBe("/model/..%2Fconverse%3Fx%3D1/converse-stream");
        bedrock.Refusals.ShouldBeEmpty();
    }
}
