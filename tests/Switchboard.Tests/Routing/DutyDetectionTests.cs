using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

/// <summary>Duty detection over requests recorded from the real Claude Code, with its hint headers and without them.</summary>
public sealed class DutyDetectionTests
{
    private static readonly SwitchboardConfig Config = new()
    {
        DefaultProvider = "anthropic",
        Providers = new() { ["anthropic"] = new ProviderConfig { Type = "anthropic" } },
    };

    private static string DutyOf(MessagesRequest request, List<KeyValuePair<string, string>> headers, SwitchboardConfig? config = null) =>
        Router.Decide(request, headers, config ?? Config).Duty;

    [Theory]
    [InlineData("main-turn", true, "default")]
    [InlineData("main-turn", false, "default")]
    [InlineData("subagent", true, "subagent")]
    [InlineData("subagent", false, "subagent")]
    [InlineData("web-search", true, "webSearch")]
    [InlineData("web-search", false, "webSearch")]
    [InlineData("image-tool-result", true, "image")]
    [InlineData("image-tool-result", false, "image")]
    [InlineData("plan-mode", true, "think")]
    [InlineData("plan-mode", false, "think")]
    public void Detect_RecordedClaudeCodeRequests(string recording, bool withHints, string duty)
    {
        var (request, headers) = RecordedClaudeCode.Load(recording, withHints);

        DutyOf(request, headers).ShouldBe(duty);
    }

    [Fact]
    public void Detect_AdaptiveThinkingAlone_IsNotThink()
    {
        var (request, headers) = RecordedClaudeCode.Load("main-turn");

        request.Thinking!.Type.ShouldBe("adaptive");
        DutyOf(request, headers).ShouldBe("default");
    }

    [Fact]
    public void Detect_ExplicitThinkingBudget_IsThink()
    {
        var (recorded, headers) = RecordedClaudeCode.Load("main-turn");
        var request = recorded with { Thinking = new ThinkingConfig { Type = "enabled", BudgetTokens = 8000 } };

        DutyOf(request, headers).ShouldBe("think");
    }

    [Fact]
    public void Detect_WebSearchAuxiliaryRequest_IsAlsoBackgroundByItsHint()
    {
        var (request, headers) = RecordedClaudeCode.Load("web-search");

        var decision = Router.Decide(request, headers, Config);

        decision.DutiesSeen.ShouldBe(["background", "webSearch"], ignoreOrder: true);
        // webSearch comes first by default; the order is configurable
        DutyOf(request, headers, Config with { DutyOrder = ["background"] }).ShouldBe("background");
    }

    [Theory]
    [InlineData("auxiliary", "background")]
    [InlineData("side_reply", "background")]
    [InlineData("workflow", "subagent")]
    [InlineData("compaction", "default")]
    [InlineData("main", "default")]
    public void Detect_RequestClassHint_DecidesWhoIsAsking(string requestClass, string duty)
    {
        var (request, _) = RecordedClaudeCode.Load("main-turn");

        DutyOf(request, [new(DutyDetector.RequestClassHeader, requestClass)]).ShouldBe(duty);
    }

    [Fact]
    public void Detect_HaikuModelWithoutHint_IsBackground_ButTheHintWins()
    {
        var (recorded, _) = RecordedClaudeCode.Load("main-turn");
        var request = recorded with { Model = "claude-haiku-4-5-20251001" };

        DutyOf(request, []).ShouldBe("background");
        DutyOf(request, [new(DutyDetector.RequestClassHeader, "main")]).ShouldBe("default");
    }

    [Fact]
    public void Detect_LongContext_ByTheTokenizerEstimateAgainstTheThreshold()
    {
        var (request, headers) = RecordedClaudeCode.Load("main-turn");
        var routed = Config with
        {
            Routes = new RoutesConfig { LongContext = new TargetList { Targets = ["anthropic:claude-long"] } },
        };
        var tokens = TokenCounter.Count(request);

        Router.Decide(request, headers, routed with { LongContextThreshold = tokens - 1 }).Duty.ShouldBe("longContext");
        Router.Decide(request, headers, routed with { LongContextThreshold = tokens + 1 }).Duty.ShouldBe("default");
    }
}
