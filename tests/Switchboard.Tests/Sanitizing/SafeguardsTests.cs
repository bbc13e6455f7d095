using System.Net;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Sanitizing;

/// <summary>
/// Auto mode's <c>safeguards</c> (issue 18, item 4; gateway protocol, "Messages"): the Anthropic API runs the check,
/// so the field, the <c>anthropic-beta</c> value and the reply's <c>safeguard_results</c> pass through unchanged; any
/// other target would ignore it and the check would not happen, so it is answered with a 400 naming
/// <c>safeguards</c>, on which Claude Code asks again without it and runs the check itself.
/// </summary>
public sealed class SafeguardsTests
{
    private const string Safeguards = """{"auto_mode":{"transcript_classifier":true},"version":3}""";
    private const string Beta = "auto-mode-safeguards-2026-10-01";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string WithSafeguards(string model, bool stream) => WithField(AnthropicWire.Request(model, stream), "safeguards", Safeguards);

    /// <summary>The JSON object <paramref name="json"/> with one more top-level field.</summary>
    private static string WithField(string json, string name, string value) => json[..json.LastIndexOf('}')] + $",\"{name}\":{value}}}";

    [Fact]
    public async Task ToOllama_IsA400NamingSafeguards_AndNothingIsSent()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(ollama.Config());

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(WithSafeguards("qwen3:8b", stream: true)), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error");
        message.ShouldStartWith("safeguards: qwen3:8b in ollama-local does not run auto mode's safeguards check");
        ollama.ChatRequests.ShouldBeEmpty();

        using var without = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("qwen3:8b", stream: false)), Cancel);
        without.StatusCode.ShouldBe(HttpStatusCode.OK, "the same request without them is served");
    }

    [Fact]
    public async Task ToAnthropic_TheFieldTheBetaAndTheResults_PassThroughUnchanged()
    {
        const string results = """[{"status":{"tool_uses":{}},"verdict":"allow"}]""";
        await using var anthropic = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteJsonAsync(context,
            WithField(AnthropicWire.TextMessage("claude-sonnet-4-5", "checked"), "safeguard_results", results)));
        await using var switchboard = await RunningSwitchboard.StartAsync($$"""
            { "defaultProvider": "anthropic", "providers": { "anthropic": { "type": "anthropic", "baseUrl": "{{anthropic.BaseUrl}}", "apiKey": "sk-ant-api03-k" } } }
            """);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(WithSafeguards("claude-sonnet-4-5", stream: false)) };
        request.Headers.Add("anthropic-beta", Beta);

        using var response = await switchboard.Client.SendAsync(request, Cancel);

        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        response.StatusCode.ShouldBe(HttpStatusCode.OK, reply.ToJsonString());
        reply["safeguard_results"]!.ToJsonString().ShouldBe(JsonNode.Parse(results)!.ToJsonString());
        var sent = anthropic.Requests.ShouldHaveSingleItem();
        JsonNode.Parse(sent.BodyText)!["safeguards"]!.ToJsonString().ShouldBe(JsonNode.Parse(Safeguards)!.ToJsonString());
        sent.Header("anthropic-beta")!.ShouldContain(Beta);
    }
}
