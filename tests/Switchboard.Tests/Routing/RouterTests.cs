using System.Text.Json;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

/// <summary>The order decisions are made in, and each source of a decision.</summary>
public sealed class RouterTests
{
    private static SwitchboardConfig Config(string routing = "") => JsonSerializer.Deserialize($$"""
        {
          "defaultProvider": "anthropic",
          "providers": {
            "anthropic": { "type": "anthropic" },
            "ollama-local": { "type": "ollama" },
            "openrouter": { "type": "openai", "preset": "openrouter", "apiKey": "k" }
          }
          {{routing}}
        }
        """, ConfigJson.Default.SwitchboardConfig)!;

    private static MessagesRequest Request(string model = "claude-sonnet-4-5", string? system = null, string user = "hi", string extra = "") =>
        JsonSerializer.Deserialize($$"""
            {"model":"{{model}}","max_tokens":100,{{(system is null ? "" : $"\"system\":{JsonSerializer.Serialize(system)},")}}{{extra}}
             "messages":[{"role":"user","content":{{JsonSerializer.Serialize(user)}}}]}
            """, AnthropicJson.Default.MessagesRequest)!;

    private static RouteDecision Decide(MessagesRequest request, SwitchboardConfig config, string? pinned = null,
        params (string Name, string Value)[] headers) =>
        Router.Decide(request, headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList(), config, pinned);

    private const string EveryLayer = """
        , "routes": { "default": "openrouter:default-model", "subagent": "ollama-local:qwen3:8b", "background": ["ollama-local:llama3.2:3b", "anthropic"] },
        "rules": [ { "name": "tools-to-openrouter", "when": { "hasTools": true, "model": "claude-sonnet-*" }, "to": "openrouter:tooly" } ],
        "modelMap": { "claude-opus-*": "openrouter:opus-like" },
        "smallModel": "ollama-local:small", "bigModel": "openrouter:big"
        """;

    [Fact]
    public void Decide_NothingConfigured_GoesToTheDefaultProviderUnchanged()
    {
        var decision = Decide(Request(), Config());

        decision.Targets.ShouldBe([new ModelTarget("anthropic", "claude-sonnet-4-5")]);
        (decision.Duty, decision.Reason.Text).ShouldBe(("default", "default provider"));
    }

    [Fact]
    public void Decide_UrlPin_BeatsEverything()
    {
        var decision = Decide(Request("ollama-local:qwen3:8b", system: "<CCR-SUBAGENT-MODEL>openrouter,x</CCR-SUBAGENT-MODEL>"), Config(EveryLayer), pinned: "anthropic:claude-pinned");

        decision.Targets.ShouldBe([new ModelTarget("anthropic", "claude-pinned")]);
        decision.Reason.Text.ShouldBe("url");
    }

    [Theory]
    [InlineData("system")]
    [InlineData("user")]
    public void Decide_CcrSubagentTag_RoutesAndIsRemovedFromWhereverItWas(string where)
    {
        const string tag = "<CCR-SUBAGENT-MODEL>ollama-local,qwen3:8b</CCR-SUBAGENT-MODEL>";
        var request = where == "system"
            ? Request(system: "You are an agent for Claude Code.\n" + tag + "\nDo the task.")
            : Request(user: tag + "Find the bug.");

        var decision = Decide(request, Config(EveryLayer));

        decision.Targets.ShouldBe([new ModelTarget("ollama-local", "qwen3:8b")]);
        decision.Reason.Text.ShouldBe("subagent tag");
        decision.Reason.Kind.ShouldBe(RouteReasonKind.SubagentTag);
        decision.EditedRequest.ShouldBeTrue();
        JsonSerializer.Serialize(decision.Request, AnthropicJson.Default.MessagesRequest).ShouldNotContain("CCR-SUBAGENT-MODEL");
        if (where == "user") decision.Request.Messages![0].Content!.AsBlocks().Single().Text.ShouldBe("Find the bug.");
        // The request handed in is the client's and stays as it was: the edit is the decision's copy.
        decision.Asked.ShouldBeSameAs(request);
        JsonSerializer.Serialize(request, AnthropicJson.Default.MessagesRequest).ShouldContain("CCR-SUBAGENT-MODEL");
    }

    [Fact]
    public void Decide_CcrSubagentTagInABlock_IsRemovedFromACopyOfThatBlockOnly()
    {
        // Given the tag in the first of two text blocks of the first user turn
        var request = Request(extra: "\"metadata\":{\"user_id\":\"u\"},");
        var asked = request with
        {
            Messages =
            [
                new Message
                {
                    Role = "user",
                    Content = MessageContent.FromBlocks([
                        new ContentBlock { Type = "text", Text = "<CCR-SUBAGENT-MODEL>ollama-local,qwen3:8b</CCR-SUBAGENT-MODEL>Find it." },
                        new ContentBlock { Type = "text", Text = "Then fix it." },
                    ]),
                },
            ],
        };
        var before = JsonSerializer.Serialize(asked, AnthropicJson.Default.MessagesRequest);

        // When it is routed
        var decision = Decide(asked, Config(EveryLayer));

        // Then the decision's request has the tag out of the first block and the second block as it was
        var blocks = decision.Request.Messages!.Single().Content!.Blocks!;
        blocks.Select(block => block.Text).ShouldBe(["Find it.", "Then fix it."]);
        blocks[1].ShouldBeSameAs(asked.Messages![0].Content!.Blocks![1]);
        decision.Request.Metadata.ShouldBeSameAs(asked.Metadata);
        // And the client's request, down to its blocks, is untouched
        JsonSerializer.Serialize(asked, AnthropicJson.Default.MessagesRequest).ShouldBe(before);
    }

    [Fact]
    public void Decide_WithoutATag_HandsOnTheRequestAsAsked()
    {
        var request = Request();

        var decision = Decide(request, Config(EveryLayer));

        decision.Request.ShouldBeSameAs(request);
        decision.EditedRequest.ShouldBeFalse();
    }

    [Fact]
    public void Decide_UrlPinWithATag_StillRemovesTheTag()
    {
        // The pin decides, but the tag is Switchboard's and must not reach the upstream either.
        var request = Request(system: "<CCR-SUBAGENT-MODEL>openrouter,x</CCR-SUBAGENT-MODEL>Do the task.");

        var decision = Decide(request, Config(EveryLayer), pinned: "anthropic:claude-pinned");

        decision.Reason.Kind.ShouldBe(RouteReasonKind.Url);
        decision.EditedRequest.ShouldBeTrue();
        JsonSerializer.Serialize(decision.Request, AnthropicJson.Default.MessagesRequest).ShouldNotContain("CCR-SUBAGENT-MODEL");
    }

    [Theory]
    [InlineData("ollama-local,qwen3:8b", "ollama-local", "qwen3:8b")]
    [InlineData("openrouter:anthropic/claude-sonnet-4", "openrouter", "anthropic/claude-sonnet-4")]
    [InlineData("claude-via-ollama-local:qwen3:8b", "ollama-local", "qwen3:8b")]
    public void Decide_ExplicitModel_FromInSessionModelSwitching_BeatsRulesAndDuties(string model, string provider, string target)
    {
        var decision = Decide(Request(model, extra: "\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}],"), Config(EveryLayer),
            headers: (DutyDetector.RequestClassHeader, "subagent"));

        decision.Targets.ShouldBe([new ModelTarget(provider, target)]);
        decision.Reason.Text.ShouldBe("model");
    }

    [Fact]
    public void Decide_Rule_BeatsDutyRoutes()
    {
        var decision = Decide(Request(extra: "\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}],"), Config(EveryLayer),
            headers: (DutyDetector.RequestClassHeader, "subagent"));

        decision.Targets.ShouldBe([new ModelTarget("openrouter", "tooly")]);
        decision.Reason.Text.ShouldBe("rule:tools-to-openrouter");
    }

    [Fact]
    public void Decide_DutyRoute_WithFallbacksInOrder_AndBareProviderKeepsTheModel()
    {
        var decision = Decide(Request("claude-haiku-4-5"), Config(EveryLayer));

        decision.Targets.ShouldBe([new ModelTarget("ollama-local", "llama3.2:3b"), new ModelTarget("anthropic", "claude-haiku-4-5")]);
        (decision.Duty, decision.Reason.Text).ShouldBe(("background", "duty:background"));
    }

    [Fact]
    public void Decide_ModelMapThenBigAndSmall_ThenRoutesDefault()
    {
        var config = Config(EveryLayer);

        Decide(Request("claude-opus-4-5"), config).Targets.ShouldBe([new ModelTarget("openrouter", "opus-like")]);
        Decide(Request("claude-sonnet-4-5"), config).Targets.ShouldBe([new ModelTarget("openrouter", "big")]);
        Decide(Request("gpt-something"), config).Targets.ShouldBe([new ModelTarget("openrouter", "default-model")]);
        Decide(Request("gpt-something"), config).Reason.Text.ShouldBe("duty:default");
    }

    [Fact]
    public void Decide_SmallModel_ForHaikuNamesWhenNoDutyRouteClaimsThem()
    {
        var config = Config("""
            , "smallModel": "ollama-local:small", "bigModel": "openrouter:big"
            """);

        Decide(Request("claude-haiku-4-5"), config).Targets.ShouldBe([new ModelTarget("ollama-local", "small")]);
        Decide(Request("claude-3-5-haiku-20241022"), config).Reason.Text.ShouldBe("smallModel");
    }

    [Fact]
    public void Decide_NonClaudeNameListedByAProvider_GoesToThatProvider()
    {
        var config = Config();
        config.Providers["openrouter"] = config.Providers["openrouter"] with { Models = ["deepseek/deepseek-r1", "qwen/qwen3-coder"] };

        var decision = Decide(Request("qwen/qwen3-coder"), config);

        decision.Targets.ShouldBe([new ModelTarget("openrouter", "qwen/qwen3-coder")]);
        decision.Reason.Text.ShouldBe("listed by openrouter");
        Decide(Request("unlisted-model"), config).Targets.ShouldBe([new ModelTarget("anthropic", "unlisted-model")]);
    }

    [Fact]
    public void Decide_DutyWithoutARoute_DoesNotShadowTheNextDutyThatHasOne()
    {
        // webSearch comes first by default, but only background has a route here.
        var (request, headers) = RecordedClaudeCode.Load("web-search");

        var decision = Router.Decide(request, headers, Config("""
            , "routes": { "background": "ollama-local:qwen3:8b" }
            """));

        decision.Targets.ShouldBe([new ModelTarget("ollama-local", "qwen3:8b")]);
        (decision.Duty, decision.Reason.Text).ShouldBe(("background", "duty:background"));
    }

    [Fact]
    public void Decide_RuleConditions_TokensAndHeadersAndDuty()
    {
        var config = Config("""
            , "rules": [
                { "name": "huge", "when": { "minTokens": 50 }, "to": "openrouter:huge" },
                { "name": "team", "when": { "headers": { "x-team": "research-*" } }, "to": "openrouter:research" },
                { "name": "subagents", "when": { "duty": ["subagent"] }, "to": "ollama-local:qwen3:8b" } ]
            """);

        Decide(Request(user: string.Join(' ', Enumerable.Repeat("tokens", 200))), config).Reason.Text.ShouldBe("rule:huge");
        Decide(Request(), config, headers: ("x-team", "research-ml")).Reason.Text.ShouldBe("rule:team");
        Decide(Request(), config, headers: ("x-team", "sales")).Reason.Text.ShouldBe("default provider");
        Decide(Request(), config, headers: (DutyDetector.RequestClassHeader, "subagent")).Reason.Text.ShouldBe("rule:subagents");
    }

    [Fact]
    public void Validate_TargetsMustNameConfiguredProviders_AndDutiesMustExist()
    {
        var config = Config("""
            , "routes": { "subagent": ["ollama-local:qwen3:8b", "nowhere:model"] },
            "rules": [ { "when": { "duty": ["thinking"] }, "to": "ghost" } ],
            "modelMap": { "claude-*": "missing:x" }
            """);

        var errors = ConfigValidator.Validate(config, "config.json", Switchboard.Providers.ProviderRegistry.CreateDefault(new Switchboard.Providers.UpstreamClient()));

        errors.Select(e => e.JsonPath).ShouldBe(["$.routes.subagent[1]", "$.rules[0].to", "$.rules[0].when.duty", "$.modelMap.claude-*"], ignoreOrder: true);
        errors.Single(e => e.JsonPath == "$.routes.subagent[1]").Problem.ShouldContain("'nowhere:model' does not start with a configured provider");
        errors.Single(e => e.JsonPath == "$.rules[0].when.duty").Problem.ShouldContain("'thinking' is not a duty");
    }

    [Theory]
    [InlineData("nowhere:m", "The URL pins the target 'nowhere:m', but 'nowhere' is not a configured provider (configured: anthropic, ollama-local, openrouter). Use /provider:model/v1/messages, or /v1/messages to route by the body's model.")]
    [InlineData("../../etc", "The URL pins the target '../../etc', but '../../etc' is not a configured provider (configured: anthropic, ollama-local, openrouter). Use /provider:model/v1/messages, or /v1/messages to route by the body's model.")]
    [InlineData("ollama-local:", "The URL pins 'ollama-local:' but names no model after the colon; use /ollama-local:model/v1/messages or /ollama-local/v1/messages.")]
    [InlineData("ollama-local:..", "Target 'ollama-local:..' (chosen by url): '..' is not a model name. Fix the model name in the request, the URL or config.json.")]
    [InlineData("ollama-local:a\nb", "Target 'ollama-local:a\\u000Ab' (chosen by url): Input should not contain control characters (U+000A at position 1); a model name is one line of text. Fix the model name in the request, the URL or config.json.")]
    public void Decide_UnsendablePinnedTarget_IsA400SayingWhatToFix(string pinned, string expected)
    {
        var error = Should.Throw<AnthropicErrorException>(() => Decide(Request(), Config(), pinned)).Error;

        (error.Status, error.Message).ShouldBe((400, expected));
    }

    [Fact]
    public void Decide_UnsendableModelFromConfig_NamesTheRouteThatChoseIt()
    {
        // A route's model name is checked where it is used: config validation only knows the provider part.
        var config = Config(""", "routes": { "background": ["ollama-local:.", "anthropic"] }""");

        var error = Should.Throw<AnthropicErrorException>(() => Decide(Request("claude-haiku-4-5"), config)).Error;

        error.Message.ShouldBe("Target 'ollama-local:.' (chosen by duty:background): '.' is not a model name. Fix the model name in the request, the URL or config.json.");
    }

    [Fact]
    public void Decide_PinnedProviderAlone_KeepsTheRequestedModel() =>
        Decide(Request("claude-sonnet-4-5"), Config(), pinned: "ollama-local").Targets.ShouldBe([new ModelTarget("ollama-local", "claude-sonnet-4-5")]);
}

