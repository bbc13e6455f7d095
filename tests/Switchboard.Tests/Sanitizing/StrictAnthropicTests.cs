using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Sanitizing.Histories;

namespace Switchboard.Tests.Sanitizing;

/// <summary>
/// Conversations that crossed providers, sent through the real server to a scripted Anthropic that validates like the
/// real one: each would be a 400 as it stands, and each is accepted once repaired.
/// </summary>
public sealed class StrictAnthropicTests : IAsyncLifetime
{
    private StrictAnthropic _anthropic = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _anthropic = await StrictAnthropic.StartAsync();
        _switchboard = await RunningSwitchboard.StartAsync(_anthropic.Config());
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string path = "/v1/messages") =>
        await _switchboard.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Cancel);

    private async Task ShouldBeAcceptedAsync(string body, string path = "/v1/messages")
    {
        // The strict upstream refuses it as it stands...
        using (var json = JsonDocument.Parse(body)) _anthropic.Check(json.RootElement).ShouldNotBeNull();
        // ...and takes it through Switchboard
        using var response = await PostAsync(body, path);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        _anthropic.Rejections.ShouldBeEmpty();
    }

    [Fact]
    public async Task RecordedKimiSessionResumedOnAnthropic_IsAccepted()
    {
        await ShouldBeAcceptedAsync(Fixture(KimiResumed));

        _switchboard.Logs.All.ShouldContain("anthropic: sanitized 2 tool ids");
        _switchboard.Logs.All.ShouldContain("anthropic: dropped 2 unsigned thinking blocks");
    }

    [Fact]
    public async Task RecordedKimiToolLoopContinuedOnAnthropic_WithThinkingEnabled_IsAccepted()
    {
        var body = JsonNode.Parse(Fixture(KimiToolLoop))!.AsObject();
        body["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = 4096 };

        await ShouldBeAcceptedAsync(body.ToJsonString());
    }

    [Fact]
    public async Task CountTokens_ForACrossedConversation_IsRepairedToo()
    {
        await ShouldBeAcceptedAsync(Fixture(KimiResumed), "/v1/messages/count_tokens");
    }

    [Fact]
    public async Task ThinkingAnthropicSigned_ComesBackUntouchedBesideRepairedTurns()
    {
        // Given a turn Anthropic answered, with thinking it signed
        var answer = JsonNode.Parse(await (await PostAsync(Conversation("""[{"role":"user","content":"hi"}]"""))).Content.ReadAsStringAsync(Cancel))!;
        var signed = answer["content"]![0]!;
        signed["type"]!.GetValue<string>().ShouldBe("thinking");
        var signature = signed["signature"]!.GetValue<string>();

        // When the conversation goes on after another provider's tool loop
        var body = Conversation($$$"""
            [{"role":"user","content":"hi"},
             {"role":"assistant","content":[{{{signed.ToJsonString()}}},{"type":"text","text":"ok"}]},
             {"role":"user","content":"now use the tool"},
             {"role":"assistant","content":[{"type":"thinking","thinking":"Kimi thinks.","signature":"switchboard-synthesized:ollama-cloud"},
                                            {"type":"tool_use","id":"functions.Bash:0","name":"Bash","input":{"command":"ls"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"functions.Bash:0","content":"a.txt"}]},
             {"role":"assistant","content":[{"type":"text","text":"one file"}]},
             {"role":"user","content":"thanks"}]
            """);
        await ShouldBeAcceptedAsync(body);

        // Then Anthropic got its own thinking back exactly as it signed it
        var sent = JsonNode.Parse(_anthropic.MessageRequests.Last().Body)!;
        sent["messages"]![1]!["content"]![0]!["signature"]!.GetValue<string>().ShouldBe(signature);
    }

    [Fact]
    public async Task ClaudeCodesOwnRequest_GoesUpByteForByte()
    {
        var body = Fixture(MainTurn);

        using var response = await PostAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _anthropic.MessageRequests.ShouldHaveSingleItem().BodyText.ShouldBe(body);
    }

    private static string Conversation(string messages) =>
        $$"""{"model":"claude-opus-5-5","max_tokens":1000,"stream":false,"thinking":{"type":"adaptive"},"messages":{{messages}}}""";
}
