using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Providers;
using Switchboard.Sanitizing;
using static Switchboard.Tests.Sanitizing.Histories;

namespace Switchboard.Tests.Sanitizing;

public sealed partial class ToolIdSanitizerTests
{
    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex AnthropicId();

    private static List<string> Ids(ProviderCall call, string type, string field) =>
        Blocks(Sent(call), type).Select(block => block[field]!.GetValue<string>()).ToList();

    [Fact]
    public void RecordedKimiToolLoop_ToAnthropic_IdsFitAndEachResultFollowsItsCall()
    {
        // Given Claude Code's history of a Kimi tool loop, ids "functions.Read:0" and "call.e2e:1#2"
        var call = Call(Fixture(KimiToolLoop));

        var (sent, log) = Prepare(call, ToAnthropic);

        var uses = Ids(sent, "tool_use", "id");
        uses.Count.ShouldBe(2);
        uses.ShouldAllBe(id => AnthropicId().IsMatch(id));
        uses.ShouldNotContain("functions.Read:0");
        Ids(sent, "tool_result", "tool_use_id").ShouldBe(uses);
        log.ShouldContain("anthropic: sanitized 2 tool ids");
    }

    [Fact]
    public void IdsThatDifferOnlyInReplacedCharacters_NeverShareAnId()
    {
        // Given four calls whose ids differ only in '.', ':', '#' and '_' (the last one already valid)
        var call = Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"call.1","name":"A","input":{}},{"type":"tool_use","id":"call:1","name":"B","input":{}},
                                            {"type":"tool_use","id":"call#1","name":"C","input":{}},{"type":"tool_use","id":"call_1","name":"D","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"call#1","content":"c"},{"type":"tool_result","tool_use_id":"call_1","content":"d"},
                                       {"type":"tool_result","tool_use_id":"call.1","content":"a"},{"type":"tool_result","tool_use_id":"call:1","content":"b"}]}]
            """);

        var (sent, _) = Prepare(call, ToAnthropic);

        var uses = Ids(sent, "tool_use", "id");
        uses.Distinct().Count().ShouldBe(4);
        uses[3].ShouldBe("call_1");
        Ids(sent, "tool_result", "tool_use_id").ShouldBe([uses[2], uses[3], uses[0], uses[1]]);
    }

    [Fact]
    public void SameIdInTwoTurns_EachCallGetsItsOwnAndItsResultFollowsIt()
    {
        // Given a server that numbers every turn's calls from call_0
        var call = Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"call_0","name":"A","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_0","content":"first"}]},
             {"role":"assistant","content":[{"type":"tool_use","id":"call_0","name":"B","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_0","content":"second"}]}]
            """);

        var (sent, _) = Prepare(call, ToAnthropic);

        var uses = Ids(sent, "tool_use", "id");
        uses[0].ShouldBe("call_0");
        uses[1].ShouldNotBe("call_0");
        AnthropicId().IsMatch(uses[1]).ShouldBeTrue();
        Ids(sent, "tool_result", "tool_use_id").ShouldBe(uses);
    }

    [Fact]
    public void RewrittenId_NeverLandsOnAnIdAlreadyInTheConversation()
    {
        // Given a valid id that is exactly what "a.b" would be rewritten to
        var taken = ToolIdRule.Anthropic.Rewrite("a.b");
        var call = Messages($$$"""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"a.b","name":"A","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"a.b","content":"1"}]},
             {"role":"assistant","content":[{"type":"tool_use","id":"{{{taken}}}","name":"B","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{taken}}}","content":"2"}]}]
            """);

        var (sent, _) = Prepare(call, ToAnthropic);

        var uses = Ids(sent, "tool_use", "id");
        uses[1].ShouldBe(taken);
        uses[0].ShouldNotBe(taken);
        Ids(sent, "tool_result", "tool_use_id").ShouldBe(uses);
    }

    [Fact]
    public void LongIds_AreCutToTheTargetsLimit()
    {
        var longId = "call_" + new string('x', 90);
        var call = Messages($$$"""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"{{{longId}}}","name":"A","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{longId}}}","content":"1"}]}]
            """);

        var toAnthropic = Ids(Prepare(call, ToAnthropic).Call, "tool_use", "id").ShouldHaveSingleItem();
        var toOpenAI = Ids(Prepare(call, Target("openai")).Call, "tool_use", "id").ShouldHaveSingleItem();

        toAnthropic.Length.ShouldBe(64);
        toOpenAI.Length.ShouldBe(40);
        toOpenAI.ShouldStartWith("call_xxx");
    }

    [Fact]
    public void SameHistoryTwice_GetsTheSameIds()
    {
        var first = Ids(Prepare(Call(Fixture(KimiResumed)), ToAnthropic).Call, "tool_use", "id");
        var second = Ids(Prepare(Call(Fixture(KimiResumed)), ToAnthropic).Call, "tool_use", "id");

        second.ShouldBe(first);
    }

    [Fact]
    public void Rewriting_LeavesTheCallersRequestAsItWas()
    {
        var call = Call(Fixture(KimiResumed));

        var (sent, _) = Prepare(call, ToAnthropic);

        sent.ShouldNotBeSameAs(call);
        sent.RequestChanged.ShouldBeTrue();
        call.RequestChanged.ShouldBeFalse();
        Ids(call, "tool_use", "id").ShouldBe(["functions.Read:0", "call.e2e:1#2"]);
    }

    [Theory]
    [InlineData("ollama")]
    [InlineData("gemini")]
    public void TargetsThatTakeAnyId_KeepThem(string type)
    {
        var (sent, _) = Prepare(Call(Fixture(KimiResumed)), Target(type));

        Ids(sent, "tool_use", "id").ShouldBe(["functions.Read:0", "call.e2e:1#2"]);
    }

    [Fact]
    public void CleanRequest_ToAnthropic_IsTheSameCallUnchanged()
    {
        // Given Claude Code's own first turn: nothing in it crossed a provider
        var call = Call(Fixture(MainTurn));

        var (sent, log) = Prepare(call, ToAnthropic);

        sent.ShouldBeSameAs(call);
        sent.RequestChanged.ShouldBeFalse();
        log.ShouldBeEmpty();
    }
}
