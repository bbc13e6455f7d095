using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Providers;
using Switchboard.Sanitizing;
using static Switchboard.Tests.Sanitizing.Histories;

namespace Switchboard.Tests.Sanitizing;

public sealed class ThinkingSanitizerTests
{
    /// <summary>What an Anthropic signature looks like: long base64.</summary>
    private const string RealSignature =
        "EqQBCkYIBxgCKkBZbGl2ZSBzaWduYXR1cmUgb2YgYSB0aGlua2luZyBibG9jayB0aGF0IEFudGhyb3BpYyBpc3N1ZWQgYW5kIHdpbGwgY2hlY2s=";

    private static List<JsonObject> AssistantBlocks(JsonObject request) =>
        request["messages"]!.AsArray().Where(m => m!["role"]!.GetValue<string>() == "assistant")
            .SelectMany(m => m!["content"] as JsonArray ?? []).Select(b => b!.AsObject()).ToList();

    private static ProviderCall Thinking(string signature, string thinking = "I reasoned.", string extra = "") => Messages($$"""
        [{"role":"user","content":"go"},
         {"role":"assistant","content":[{"type":"thinking","thinking":"{{thinking}}","signature":"{{signature}}"},{"type":"text","text":"answer"}]},
         {"role":"user","content":"again"}]
        """, extra);

    [Fact]
    public void RecordedResumedKimiSession_ToAnthropic_SynthesizedThinkingBecomesAMarker()
    {
        var (sent, log) = Prepare(Call(Fixture(KimiResumed)), ToAnthropic);

        var request = Sent(sent);
        Blocks(request, "thinking").ShouldBeEmpty();
        AssistantBlocks(request).Count(b => b["text"]?.GetValue<string>() == ThinkingSanitizer.Marker).ShouldBe(2);
        // Not a tool loop in progress: thinking stays as Claude Code asked
        request["thinking"]!["type"]!.GetValue<string>().ShouldBe("adaptive");
        log.ShouldContain("anthropic: dropped 2 unsigned thinking blocks");
    }

    [Fact]
    public void RecordedKimiToolLoop_ContinuedOnAnthropic_TurnsThinkingOffForThatRequest()
    {
        // Given the loop's last assistant turn opened with Kimi's thinking, which Anthropic cannot accept
        var (sent, log) = Prepare(Call(Fixture(KimiToolLoop)), ToAnthropic);

        var request = Sent(sent);
        Blocks(request, "thinking").ShouldBeEmpty();
        request.ContainsKey("thinking").ShouldBeFalse();
        // and clear_thinking, its only context edit, needs thinking on
        request.ContainsKey("context_management").ShouldBeFalse();
        log.ShouldContain("thinking off for this request");
    }

    [Theory]
    [InlineData("")]
    [InlineData("sig")]
    [InlineData("placeholder-signature")]
    [InlineData("switchboard-synthesized:ollama-local")]
    [InlineData("openrouter reasoning details: this is long enough but it is not base64 at all, see the spaces")]
    public void UnsignedThinking_ToAnthropic_BecomesAMarker(string signature)
    {
        var (sent, _) = Prepare(Thinking(signature), ToAnthropic);

        AssistantBlocks(Sent(sent)).Select(b => b["type"]!.GetValue<string>() + ":" + b["text"]).ShouldBe([$"text:{ThinkingSanitizer.Marker}", "text:answer"]);
    }

    [Fact]
    public void ThinkingAnthropicSigned_IsSentUntouched()
    {
        var call = Thinking(RealSignature);

        var (sent, log) = Prepare(call, ToAnthropic);

        sent.ShouldBeSameAs(call);
        log.ShouldBeEmpty();
    }

    [Fact]
    public void EmptyThinkingThatOnlyCarriedAGeminiSignature_IsDroppedWithoutAMarker()
    {
        var (sent, _) = Prepare(Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"thinking","thinking":"","signature":"switchboard-synthesized:gemini-call:CiQB0e2Kb"},
                                            {"type":"tool_use","id":"toolu_gm_1","name":"Bash","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_gm_1","content":"ok"}]}]
            """), ToAnthropic);

        AssistantBlocks(Sent(sent)).Select(b => b["type"]!.GetValue<string>()).ShouldBe(["tool_use"]);
    }

    [Fact]
    public void EnabledThinking_ContinuingALoopAnotherProviderStarted_IsTurnedOff()
    {
        // Given thinking with a budget, and a tool loop whose last call came from a model that did not think
        var call = Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"call_abc","name":"Bash","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_abc","content":"ok"}]}]
            """, extra: ""","thinking":{"type":"enabled","budget_tokens":2048}""");

        var (sent, _) = Prepare(call, ToAnthropic);

        Sent(sent).ContainsKey("thinking").ShouldBeFalse();
    }

    [Fact]
    public void AdaptiveThinking_ContinuingALoopThatNeverThought_IsLeftAlone()
    {
        // Adaptive thinking lets a model skip thinking; Claude's own turns look like this, and stay untouched
        var call = Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01abc","name":"Bash","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01abc","content":"ok"}]}]
            """, extra: ""","thinking":{"type":"adaptive"}""");

        Prepare(call, ToAnthropic).Call.ShouldBeSameAs(call);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("openai")]
    [InlineData("gemini")]
    [InlineData("bedrock")]
    public void TranslatedTargets_GetThinkingAsItIs_TheirMappersDecide(string type)
    {
        var call = Thinking("switchboard-synthesized:x");

        Prepare(call, Target(type)).Call.ShouldBeSameAs(call);
    }

    [Fact]
    public void AnthropicCompatibleServer_LosesOnlyRedactedThinking()
    {
        var call = Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"redacted_thinking","data":"EmwKAhgBEgy3va3p"},{"type":"thinking","thinking":"t","signature":"s"},{"type":"text","text":"a"}]},
             {"role":"user","content":"again"}]
            """);

        var (sent, log) = Prepare(call, Target("ollama", api: "anthropic"));

        AssistantBlocks(Sent(sent)).Select(b => b["type"]!.GetValue<string>()).ShouldBe(["thinking", "text"]);
        log.ShouldContain("dropped 1 redacted thinking block only Anthropic can read");
    }
}
