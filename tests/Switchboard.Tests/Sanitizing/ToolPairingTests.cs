using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Sanitizing;
using static Switchboard.Tests.Sanitizing.Histories;

namespace Switchboard.Tests.Sanitizing;

public sealed class ToolPairingTests
{
    private static List<string> Turns(JsonObject request) => request["messages"]!.AsArray().Select(m =>
        m!["role"]!.GetValue<string>() + ":" + (m["content"] is JsonArray blocks
            ? string.Join(",", blocks.Select(b => b!["type"]!.GetValue<string>() + (b["tool_use_id"] is { } id ? "(" + id + ")" : b["id"] is { } use ? "(" + use + ")" : "")))
            : "text")).ToList();

    [Theory]
    [InlineData("anthropic")]
    [InlineData("gemini")]
    [InlineData("ollama")]
    public void ResultWhoseCallIsGone_BecomesTextTheModelCanStillRead(string type)
    {
        // Given a result for a call the history no longer holds (compacted away)
        var call = Messages("""
            [{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_gone","content":[{"type":"text","text":"42 files"}]},{"type":"text","text":"go on"}]}]
            """);

        var (sent, log) = Prepare(call, Target(type));

        var blocks = Sent(sent)["messages"]![0]!["content"]!.AsArray();
        blocks.Select(b => b!["type"]!.GetValue<string>()).ShouldBe(["text", "text"]);
        blocks[0]!["text"]!.GetValue<string>().ShouldBe("[result of an earlier tool call toolu_gone]\n42 files");
        log.ShouldContain("turned 1 tool result without its call into text");
    }

    [Fact]
    public void CallsTheNextTurnDoesNotAnswer_GetAPlaceholderResultEach()
    {
        // Given two parallel calls, of which only the second was answered, then a call followed straight by the model again
        var call = Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_a","name":"A","input":{}},{"type":"tool_use","id":"toolu_b","name":"B","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_b","content":"b"},{"type":"text","text":"next"}]},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_c","name":"C","input":{}}]},
             {"role":"assistant","content":[{"type":"text","text":"moving on"}]},
             {"role":"user","content":"fine"}]
            """);

        var (sent, log) = Prepare(call, ToAnthropic);

        Turns(Sent(sent)).ShouldBe([
            "user:text",
            "assistant:tool_use(toolu_a),tool_use(toolu_b)",
            "user:tool_result(toolu_b),tool_result(toolu_a),text",
            "assistant:tool_use(toolu_c)",
            "user:tool_result(toolu_c)",
            "assistant:text",
            "user:text",
        ]);
        Sent(sent)["messages"]![2]!["content"]![1]!["is_error"]!.GetValue<bool>().ShouldBeTrue();
        log.ShouldContain("answered 2 interrupted tool calls with a placeholder result");
    }

    [Fact]
    public void SystemTurnBetweenCallAndResult_DoesNotBreakThePair()
    {
        var call = Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_a","name":"A","input":{}}]},
             {"role":"system","content":"reminder"},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_a","content":"a"}]}]
            """);

        Prepare(call, ToAnthropic).Call.ShouldBeSameAs(call);
    }

    [Fact]
    public void LastTurnACallAwaitingItsResult_IsLeftAlone()
    {
        var call = Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_a","name":"A","input":{}}]}]
            """);

        Prepare(call, ToAnthropic).Call.ShouldBeSameAs(call);
    }
}
