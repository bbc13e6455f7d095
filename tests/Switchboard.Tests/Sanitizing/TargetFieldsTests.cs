using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Sanitizing;
using static Switchboard.Tests.Sanitizing.Histories;

namespace Switchboard.Tests.Sanitizing;

/// <summary>Fields and turns a target would refuse: removed, rewritten, or refused with a reason Claude Code knows.</summary>
public sealed class TargetFieldsTests
{
    [Fact]
    public void RecordedMainTurn_ToOllamasMessagesApi_CarriesOnlyWhatItKnows()
    {
        // Given Claude Code's real first turn: context_management, output_config, cache marks, a deferred tool, a system turn
        var (sent, log) = Prepare(Call(Fixture(MainTurn)), Target("ollama", api: "anthropic", model: "qwen3-coder"));

        var request = Sent(sent);
        var json = request.ToJsonString();
        request.ContainsKey("context_management").ShouldBeFalse();
        request.ContainsKey("output_config").ShouldBeFalse();
        json.ShouldNotContain("cache_control");
        json.ShouldNotContain("defer_loading");
        request["messages"]!.AsArray().ShouldAllBe(m => m!["role"]!.GetValue<string>() != "system");
        // The environment system turn is still there, as a reminder in the user turn it followed
        request["messages"]!.AsArray().Count.ShouldBe(1);
        request["messages"]![0]!["content"]!.AsArray()[^1]!["text"]!.GetValue<string>().ShouldStartWith("<system-reminder>\n# Environment");
        // Every tool is still offered, the deferred one simply loaded
        request["tools"]!.AsArray().Count.ShouldBe(Call(Fixture(MainTurn)).Request.Tools!.Count);
        log.ShouldContain("folded 1 mid-conversation system turn into user turns");
        log.ShouldContain("removed context_management, output_config, ");
        log.ShouldContain("strict/defer_loading from 1 tool");
    }

    [Fact]
    public void RecordedMainTurn_ToAnthropic_GoesUpUntouched()
    {
        var call = Call(Fixture(MainTurn));

        Prepare(call, ToAnthropic).Call.ShouldBeSameAs(call);
    }

    [Fact]
    public void RecordedMainTurn_ToClaudeOnBedrock_KeepsEverythingButTheSystemTurn()
    {
        var (sent, _) = Prepare(Call(Fixture(MainTurn)), Target("bedrock", api: "anthropic"));

        var request = Sent(sent);
        request["messages"]!.AsArray().ShouldAllBe(m => m!["role"]!.GetValue<string>() != "system");
        request.ContainsKey("context_management").ShouldBeTrue();
        request.ToJsonString().ShouldContain("cache_control");
    }

    [Fact]
    public void SystemTurnBeforeToolResults_FoldsBehindThem()
    {
        var call = Messages("""
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_a","name":"A","input":{}}]},
             {"role":"system","content":"Note this."},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_a","content":"a"},{"type":"text","text":"and?"}]}]
            """);

        var (sent, _) = Prepare(call, Target("ollama", api: "anthropic"));

        var last = Sent(sent)["messages"]!.AsArray()[^1]!["content"]!.AsArray();
        last.Select(b => b!["type"]!.GetValue<string>()).ShouldBe(["tool_result", "text", "text"]);
        last[1]!["text"]!.GetValue<string>().ShouldBe("<system-reminder>\nNote this.\n</system-reminder>");
    }

    [Fact]
    public void BlocksAnAnthropicCompatibleServerCannotRead_BecomeText()
    {
        var call = Messages("""
            [{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"the notes"}},
                                       {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},
                                       {"type":"image","source":{"type":"url","url":"https://example.invalid/a.png"}},
                                       {"type":"text","text":"read these"}]}]
            """);

        var (sent, _) = Prepare(call, Target("ollama", api: "anthropic"));

        Sent(sent)["messages"]![0]!["content"]!.AsArray().Select(b => b!["text"]!.GetValue<string>())
            .ShouldBe(["the notes", "[document omitted]", "[image omitted]", "read these"]);
    }

    [Theory]
    [InlineData("ollama", null)]
    [InlineData("ollama", "anthropic")]
    [InlineData("openai", null)]
    [InlineData("gemini", null)]
    [InlineData("bedrock", null)]
    public void StructuredOutput_ToATargetThatCannotHoldToIt_IsRefusedInWordsClaudeCodeKnows(string type, string? api)
    {
        var call = Messages("""[{"role":"user","content":"list files as JSON"}]""",
            extra: ""","output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}}""");

        var refusal = Should.Throw<AnthropicErrorException>(() => Prepare(call, Target(type, api, model: "qwen3:8b")));

        refusal.Error.Status.ShouldBe(400);
        refusal.Error.Type.ShouldBe("invalid_request_error");
        refusal.Error.Message.ShouldStartWith("capability_rejected: structured_outputs_unsupported (qwen3:8b in ");
    }

    [Theory]
    [InlineData("anthropic", null)]
    [InlineData("bedrock", "anthropic")]
    public void StructuredOutput_ToClaude_GoesUp(string type, string? api)
    {
        var call = Messages("""[{"role":"user","content":"x"}]""", extra: ""","output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}}""");

        Prepare(call, Target(type, api)).Call.ShouldBeSameAs(call);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("anthropic")]
    public void ForcedTool_ToOllama_IsForcedByOfferingThatToolAlone(string? api)
    {
        var call = Messages("""[{"role":"user","content":"x"}]""", extra: """
            ,"tools":[{"name":"A","input_schema":{"type":"object"}},{"name":"Answer","input_schema":{"type":"object"}}],"tool_choice":{"type":"tool","name":"Answer"}
            """);

        var (sent, log) = Prepare(call, Target("ollama", api, model: "qwen3:8b"));

        var request = Sent(sent);
        request.ContainsKey("tool_choice").ShouldBeFalse();
        request["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ShouldBe(["Answer"]);
        log.ShouldContain("forced tool Answer by offering it alone, as qwen3:8b has no tool_choice");
    }

    [Fact]
    public void ForcedTool_ToATargetThatCanForceIt_GoesUp()
    {
        var call = Messages("""[{"role":"user","content":"x"}]""", extra: """
            ,"tools":[{"name":"Answer","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"}
            """);

        Prepare(call, Target("openai")).Call.ShouldBeSameAs(call);
    }
}
