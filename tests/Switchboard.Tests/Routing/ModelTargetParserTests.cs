using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Tests.Routing;

public sealed class ModelTargetParserTests
{
    private static readonly SwitchboardConfig Config = new()
    {
        DefaultProvider = "claude",
        Providers = new()
        {
            ["claude"] = new ProviderConfig { Type = "anthropic" },
            ["ollama-local"] = new ProviderConfig { Type = "anthropic" },
        },
    };

    [Theory]
    [InlineData("claude-sonnet-4-5", "claude", "claude-sonnet-4-5")]
    [InlineData("ollama-local:qwen3:8b", "ollama-local", "qwen3:8b")]
    [InlineData("ollama-local,qwen3:8b", "ollama-local", "qwen3:8b")]
    [InlineData("qwen3:8b", "claude", "qwen3:8b")]
    [InlineData("claude:claude-haiku-4-5", "claude", "claude-haiku-4-5")]
    [InlineData("claude-via-ollama-local:qwen3:8b", "ollama-local", "qwen3:8b")]
    [InlineData("claude-via-claude:gpt-oss:20b", "claude", "gpt-oss:20b")]
    [InlineData("claude-via-nowhere:qwen3:8b", "claude", "claude-via-nowhere:qwen3:8b")]
    public void Resolve_ModelName_PicksProviderAndModel(string model, string provider, string target) =>
        ModelTargetParser.Resolve(model, Config).ShouldBe(new ModelTarget(provider, target));

    [Fact]
    public void Resolve_CommaFormWithUnknownProvider_IsAClearError()
    {
        var error = Should.Throw<AnthropicErrorException>(() => ModelTargetParser.Resolve("openrouter,gpt-5", Config)).Error;

        error.Status.ShouldBe(400);
        error.Message.ShouldBe("Unknown provider 'openrouter' in model 'openrouter,gpt-5'. Configured providers: claude, ollama-local.");
    }

    [Theory]
    [InlineData("ollama-local:", "Model 'ollama-local:' names provider 'ollama-local' but no model after the ':'; write ollama-local:<model>.")]
    [InlineData("ollama-local,", "Model 'ollama-local,' names provider 'ollama-local' but no model after the ','; write ollama-local,<model>.")]
    public void Resolve_ProviderWithoutModel_IsAClearError(string model, string expected)
    {
        // Sent on to the default provider, it would come back as a baffling "model not found".
        var error = Should.Throw<AnthropicErrorException>(() => ModelTargetParser.Resolve(model, Config)).Error;

        (error.Status, error.Message).ShouldBe((400, expected));
    }

    [Theory]
    [InlineData("ollama-local", "qwen3:8b", "claude-via-ollama-local:qwen3:8b")]
    [InlineData("claude", "qwen3:8b", "claude-via-claude:qwen3:8b")]
    [InlineData("claude", "claude-opus-4-5", "claude-opus-4-5")]
    [InlineData("ollama-local", "claude-distill:7b", "ollama-local:claude-distill:7b")]
    public void Discoverable_SurvivesClaudeCodesFilterAndResolvesBack(string provider, string model, string id)
    {
        var discoverable = ModelIds.Discoverable(provider, model, Config);

        discoverable.ShouldBe(id);
        discoverable.ShouldMatch("(?i)(claude|anthropic)");
        ModelTargetParser.Resolve(discoverable, Config).ShouldBe(new ModelTarget(provider, model));
    }
}
