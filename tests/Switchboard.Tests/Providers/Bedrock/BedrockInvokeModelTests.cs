using System.Net;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedBedrock;

namespace Switchboard.Tests.Providers.Bedrock;

/// <summary><c>"api": "anthropic"</c>: the Messages body through InvokeModel, Claude's own events back.</summary>
public sealed class BedrockInvokeModelTests : BedrockTestBase
{
    [Fact]
    public async Task AnthropicMode_SendsTheMessagesBodyThroughInvokeModelAndRelaysClaudesOwnEvents()
    {
        await using var fidelity = await RunningSwitchboard.StartAsync(Bedrock.Config(api: "anthropic"));
        Bedrock.Invoke = _ =>
        [
            """{"type":"message_start","message":{"id":"msg_bdrk_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBreal-claude-signature"}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Full fidelity."}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":12}}""",
            """{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":20,"outputTokenCount":12}}""",
        ];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = AnthropicWire.Json(Body("""[{"role":"user","content":"q"}]""", """ "thinking":{"type":"enabled","budget_tokens":1024},"context_management":{"edits":[]},"metadata":{"user_id":"u1"}, """)),
        };
        request.Headers.TryAddWithoutValidation("anthropic-beta", "claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14");

        using var response = await fidelity.Client.SendAsync(request, Cancel);

        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var events = new List<StreamEvent>();
        await foreach (var e in SseEventReader.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), Cancel)) events.Add(e);
        var message = AnthropicWire.Assemble(events);
        message.Content[0].Signature.ShouldBe("EqQBreal-claude-signature");
        message.Content[1].Text.ShouldBe("Full fidelity.");

        var seen = Bedrock.Requests.Single();
        seen.Path.ShouldBe($"/model/{Haiku}/invoke-with-response-stream");
        Bedrock.Refusals.ShouldBeEmpty();
        var sent = Bedrock.Bodies.Single();
        sent["anthropic_version"]!.GetValue<string>().ShouldBe("bedrock-2023-05-31");
        sent["anthropic_beta"]!.AsArray().Select(b => b!.GetValue<string>()).ShouldBe(["interleaved-thinking-2025-05-14"]);
        sent["thinking"]!["budget_tokens"]!.GetValue<int>().ShouldBe(1024);
        sent["model"].ShouldBeNull();
        sent["stream"].ShouldBeNull();
        sent["metadata"].ShouldBeNull();
        sent["context_management"].ShouldBeNull();
    }
}
