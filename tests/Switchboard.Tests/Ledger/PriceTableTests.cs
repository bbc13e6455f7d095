using Shouldly;
using Switchboard.Config;
using Switchboard.Ledger;
using Switchboard.Providers;
using Switchboard.Providers.Bedrock;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Tests.Ledger;

public sealed class PriceTableTests
{
    private static readonly ProviderRegistry Registry = ProviderRegistry.CreateDefault(new UpstreamClient());

    private static SwitchboardConfig Config(Dictionary<string, ModelPrice>? prices = null) => new()
    {
        Providers = new()
        {
            ["anthropic"] = new ProviderConfig { Type = "anthropic", BaseUrl = "https://api.anthropic.com" },
            ["ollama-local"] = new ProviderConfig { Type = "ollama" },
            ["lan"] = new ProviderConfig { Type = "openai", BaseUrl = "http://192.168.1.20:8000/v1" },
            ["openrouter"] = OpenAIProviderOptions.PresetKey.With(new ProviderConfig { Type = "openai" }, "openrouter"),
            ["bedrock"] = BedrockProviderOptions.RegionKey.With(new ProviderConfig { Type = "bedrock" }, "us-east-1"),
            ["proxy"] = new ProviderConfig { Type = "anthropic", BaseUrl = "http://127.0.0.1:4000" },
        },
        Prices = prices,
    };

    [Theory]
    [InlineData("claude-sonnet-4-5-20250929", 3, 15)]
    [InlineData("claude-opus-4-1-20250805", 15, 75)]
    [InlineData("claude-opus-4-5", 5, 25)]
    [InlineData("claude-opus-4-8", 5, 25)]
    [InlineData("claude-opus-4-0", 15, 75)]
    [InlineData("claude-opus-4-20250514", 15, 75)]
    [InlineData("claude-opus-5", 5, 25)]
    [InlineData("claude-opus-5-5", 4, 20)]
    [InlineData("claude-sonnet-5", 2, 10)]
    [InlineData("claude-sonnet-5-5", 2, 10)]
    [InlineData("claude-sonnet-4-6", 3, 15)]
    [InlineData("claude-haiku-5-5", 0.1, 0.5)]
    [InlineData("claude-fable-5-2", 8, 40)]
    [InlineData("claude-fable-5-1", 10, 50)]
    [InlineData("claude-mythos-5", 10, 50)]
    [InlineData("claude-haiku-4-5", 1, 5)]
    [InlineData("claude-3-5-haiku-20241022", 0.8, 4)]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", 3, 15)]
    [InlineData("anthropic/claude-sonnet-4.5", 3, 15)]
    [InlineData("claude-sonnet-4-5@20250929", 3, 15)]
    [InlineData("openai/gpt-4o-mini", 0.15, 0.6)]
    [InlineData("gpt-4o-2024-08-06", 2.5, 10)]
    [InlineData("models/gemini-2.5-flash", 0.3, 2.5)]
    [InlineData("deepseek-chat", 0.28, 0.42)]
    public void BuiltIn_KnownModelUnderAnyVendorSpelling_HasItsFamilysPrice(string model, double input, double output)
    {
        var price = PriceTable.BuiltIn(model).ShouldNotBeNull();
        price.Input.ShouldBe(input);
        price.Output.ShouldBe(output);
    }

    [Theory]
    [InlineData("claude-opus", 4, 20)]
    [InlineData("claude-sonnet", 2, 10)]
    [InlineData("claude-haiku", 0.1, 0.5)]
    [InlineData("claude-sonnet-9-9", 2, 10)]
    public void BuiltIn_FamilyNameOrUnlistedVersion_HasTheFamilysNewestPrice(string model, double input, double output)
    {
        var price = PriceTable.BuiltIn(model).ShouldNotBeNull();
        (price.Input, price.Output).ShouldBe((input, output));
    }

    [Fact]
    public void Haiku55_APromptOver100kTokens_IsPricedAtTheLongPromptRates_EveryTokenOfIt()
    {
        var haiku = PriceTable.BuiltIn("claude-haiku-5-5").ShouldNotBeNull();

        // 100k prompt tokens exactly (cache reads and writes count toward it): the short rates
        haiku.CostOf(input: 60_000, output: 1_000_000, cacheRead: 30_000, cacheWrite: 10_000)
            .ShouldBe((60_000 * 0.10 + 1_000_000 * 0.50 + 30_000 * 0.01 + 10_000 * 0.125) / 1e6, 1e-12);
        // One more: every token at the long rates, output included
        haiku.CostOf(input: 60_001, output: 1_000_000, cacheRead: 30_000, cacheWrite: 10_000)
            .ShouldBe((60_001 * 0.50 + 1_000_000 * 2.50 + 30_000 * 0.05 + 10_000 * 0.625) / 1e6, 1e-12);
    }

    [Fact]
    public void Find_UnknownCloudModel_HasNoPrice() =>
        new PriceTable(Config(), Registry).Find("openrouter", "some-lab/mystery-model").ShouldBeNull();

    [Theory]
    [InlineData("ollama-local", "qwen3:8b")]
    [InlineData("lan", "gpt-4o")]
    public void Find_ModelOnThisMachineOrNetwork_CostsNothing(string provider, string model) =>
        new PriceTable(Config(), Registry).Find(provider, model).ShouldBe(ModelPrice.Free);

    [Fact]
    public void Find_AnthropicProxyOnThisMachine_IsPricedLikeAnthropic() =>
        new PriceTable(Config(), Registry).Find("proxy", "claude-sonnet-4-5")!.Input.ShouldBe(3);

    [Fact]
    public void Find_ConfigPrices_WinInOrderExactQualifiedThenExactThenLongestPrefix()
    {
        var table = new PriceTable(Config(new()
        {
            ["openrouter:qwen/qwen3-coder"] = new() { Input = 1, Output = 1 },
            ["qwen/qwen3-coder"] = new() { Input = 2, Output = 2 },
            ["qwen/*"] = new() { Input = 3, Output = 3 },
            ["openrouter:qwen/qwen3-*"] = new() { Input = 4, Output = 4 },
            ["qwen3:8b"] = new() { Input = 5, Output = 5 },
        }), Registry);

        table.Find("openrouter", "qwen/qwen3-coder")!.Input.ShouldBe(1);
        table.Find("other", "qwen/qwen3-coder")!.Input.ShouldBe(2);
        table.Find("openrouter", "qwen/qwen3-max")!.Input.ShouldBe(4);
        table.Find("openrouter", "qwen/qwq")!.Input.ShouldBe(3);
        // A price in config counts even for a local model
        table.Find("ollama-local", "qwen3:8b")!.Input.ShouldBe(5);
    }

    [Fact]
    public void Price_RoutedAwayFromClaude_RecordsCostRequestedCostAndSavings()
    {
        // Given 1M input, 100k output, 2M cache reads and 400k cache writes asked of Sonnet, served by a DeepSeek model
        var record = Record("openrouter", "deepseek/deepseek-chat", "claude-sonnet-4-5-20250929");

        var priced = new PriceTable(Config(), Registry).Price(record);

        // Then cost is DeepSeek's, requested cost is Sonnet's, and savings the difference
        priced.Cost.ShouldNotBeNull().ShouldBe(0.28 + 0.1 * 0.42 + 2 * 0.028 + 0.4 * 0.28, 1e-9);
        priced.RequestedCost.ShouldNotBeNull().ShouldBe(3 + 0.1 * 15 + 2 * 0.30 + 0.4 * 3.75, 1e-9);
        priced.Savings.ShouldNotBeNull().ShouldBe(priced.RequestedCost!.Value - priced.Cost!.Value, 1e-12);
    }

    [Fact]
    public void Price_LocalModelAskedForByName_SavesNothingAndCostsNothing()
    {
        var priced = new PriceTable(Config(), Registry).Price(Record("ollama-local", "qwen3:8b", "ollama-local:qwen3:8b"));

        priced.Cost.ShouldBe(0);
        priced.RequestedCost.ShouldBe(0);
        priced.Savings.ShouldBe(0);
    }

    [Fact]
    public void Price_UnknownModel_LeavesCostUnknown()
    {
        var priced = new PriceTable(Config(), Registry).Price(Record("openrouter", "lab/mystery", "claude-haiku-4-5"));

        priced.Cost.ShouldBeNull();
        priced.RequestedCost.ShouldNotBeNull();
        priced.Savings.ShouldBeNull();
    }

    private static RequestRecord Record(string provider, string model, string requested) => new()
    {
        Time = DateTimeOffset.UtcNow,
        Provider = provider,
        Model = model,
        RequestedModel = requested,
        InputTokens = 1_000_000,
        OutputTokens = 100_000,
        CacheReadTokens = 2_000_000,
        CacheWriteTokens = 400_000,
        Status = 200,
    };
}
