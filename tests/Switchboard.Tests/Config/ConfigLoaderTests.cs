using Shouldly;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Tests.Config;

public sealed class ConfigLoaderTests
{
    private static readonly ProviderRegistry Registry = ProviderRegistry.CreateDefault(new UpstreamClient());

    private static IReadOnlyList<ConfigError> Errors(string json)
    {
        var (config, errors) = ConfigLoader.Parse(json, "/home/u/.switchboard/config.json", Registry);
        config.ShouldBeNull();
        return errors;
    }

    [Fact]
    public void Parse_DefaultConfig_IsValidWithDefaults()
    {
        var (config, errors) = ConfigLoader.Parse(ConfigFile.DefaultJson, "config.json", Registry);

        errors.ShouldBeEmpty();
        config!.Host.ShouldBe("127.0.0.1");
        config.Port.ShouldBe(11436);
        config.DefaultProvider.ShouldBe("anthropic");
        config.Providers["anthropic"].BaseUrl.ShouldBe("https://api.anthropic.com");
        config.PingIntervalSeconds.ShouldBe(10);
    }

    [Fact]
    public void Parse_OmittedKeys_KeepTheirDefaults()
    {
        var (config, _) = ConfigLoader.Parse("""{"providers":{"anthropic":{"type":"anthropic"}}}""", "c.json", Registry);

        config!.Host.ShouldBe("127.0.0.1");
        config.Port.ShouldBe(11436);
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAccepted()
    {
        var (config, errors) = ConfigLoader.Parse("""
            {
              // people edit this by hand
              "port": 9000,
              "providers": { "anthropic": { "type": "anthropic", }, },
            }
            """, "c.json", Registry);

        errors.ShouldBeEmpty();
        config!.Port.ShouldBe(9000);
    }

    [Fact]
    public void Parse_SyntaxError_ReportsFileLineAndPath()
    {
        var error = Errors("{\n  \"port\": 11436,\n  \"providers\": {\n    \"anthropic\": { \"type\": \"anthropic\" \n  }\n").ShouldHaveSingleItem();

        error.File.ShouldBe("/home/u/.switchboard/config.json");
        error.Line.ShouldNotBeNull();
        error.ToString().ShouldStartWith("/home/u/.switchboard/config.json:");
    }

    [Fact]
    public void Parse_WrongValueType_NamesThePath()
    {
        var error = Errors("""{"port": "eleven", "providers": {"anthropic": {"type": "anthropic"}}}""").ShouldHaveSingleItem();

        error.JsonPath.ShouldBe("$.port");
        error.Line.ShouldBe(1);
    }

    [Fact]
    public void Parse_LongPromptPrice_IsReadWithItsThreshold_AndOneWithoutTheOtherIsRefused()
    {
        var (config, errors) = ConfigLoader.Parse("""
            {"providers": {"anthropic": {"type": "anthropic"}},
             "prices": {"gemini-2.5-pro": {"input": 1.25, "output": 10, "longPromptAbove": 200000, "longPrompt": {"input": 2.5, "output": 15}}}}
            """, "config.json", Registry);

        errors.ShouldBeEmpty();
        var price = config!.Prices!["gemini-2.5-pro"];
        price.CostOf(input: 200_001, output: 0, cacheRead: 0, cacheWrite: 0).ShouldBe(200_001 * 2.5 / 1e6, 1e-12);
        price.CostOf(input: 200_000, output: 0, cacheRead: 0, cacheWrite: 0).ShouldBe(200_000 * 1.25 / 1e6, 1e-12);

        var half = Errors("""{"providers": {"anthropic": {"type": "anthropic"}}, "prices": {"m": {"input": 1, "output": 1, "longPrompt": {"input": 2, "output": 2}}}}""")
            .ShouldHaveSingleItem();
        half.JsonPath.ShouldBe("$.prices.m");
        half.Problem.ShouldContain("longPrompt and longPromptAbove go together");
    }

    [Fact]
    public void Parse_UnknownKey_IsReportedNotIgnored()
    {
        var error = Errors("""{"prot": 1, "providers": {"anthropic": {"type": "anthropic"}}}""").ShouldHaveSingleItem();

        error.JsonPath.ShouldBe("$.prot");
        error.Problem.ShouldContain("not a known key");
    }

    [Fact]
    public void Parse_ProviderWithoutType_IsReported()
    {
        var error = Errors("""{"providers": {"anthropic": {"baseUrl": "http://x"}}}""").ShouldHaveSingleItem();

        error.JsonPath.ShouldContain("providers.anthropic");
        error.Problem.ShouldContain("type");
    }

    [Fact]
    public void Parse_SeveralProblems_AreAllReportedWithPaths()
    {
        var errors = Errors("""
            {
              "port": 70000,
              "defaultProvider": "nope",
              "providers": {
                "anthropic": { "type": "antropic" },
                "bad:name": { "type": "anthropic", "baseUrl": "ftp://x", "relay": "carrier-pigeon", "timeoutSeconds": 0 }
              }
            }
            """);

        errors.Select(e => e.JsonPath).ShouldBe([
            "$.port",
            "$.defaultProvider",
            "$.providers.anthropic.type",
            "$.providers.bad:name",
            "$.providers.bad:name.timeoutSeconds",
            "$.providers.bad:name.baseUrl",
            "$.providers.bad:name.relay",
        ], ignoreOrder: true);
        errors.Single(e => e.JsonPath == "$.providers.anthropic.type").Problem
            .ShouldBe("unknown provider type 'antropic'; known types: " + string.Join(", ", KnownTypes));
        errors.Single(e => e.JsonPath == "$.defaultProvider").Problem.ShouldContain("'nope' is not a configured provider");
    }

    [Fact]
    public void Parse_NonLoopbackHostWithoutApiKey_IsRefused()
    {
        var error = Errors("""{"host": "0.0.0.0", "providers": {"anthropic": {"type": "anthropic"}}}""").ShouldHaveSingleItem();

        error.JsonPath.ShouldBe("$.host");
        error.Problem.ShouldContain("set apiKey first");
    }

    [Fact]
    public void Parse_NonLoopbackHostWithApiKey_IsAccepted()
    {
        var (config, errors) = ConfigLoader.Parse(
            """{"host": "0.0.0.0", "apiKey": "$SB_KEY", "providers": {"anthropic": {"type": "anthropic"}}}""", "c.json", Registry);

        errors.ShouldBeEmpty();
        config!.Host.ShouldBe("0.0.0.0");
    }

    /// <summary>Every type the build registers, in the order the message lists them.</summary>
    private static IEnumerable<string> KnownTypes =>
        Switchboard.Providers.ProviderRegistry.CreateDefault(new Switchboard.Providers.UpstreamClient()).Types.Order(StringComparer.Ordinal);
}
