using Shouldly;
using Switchboard.Config;
using Switchboard.Dashboard;

namespace Switchboard.Tests.Dashboard;

public sealed class SecretMaskTests
{
    private const string Config = """
        {
          "providers": {
            "or": {
              "type": "openai", "preset": "openrouter", "apiKey": "sk-or-v1-aaaaaaaaaaaaaaaaaaaa1111",
              "transformers": ["cleancache", ["headers", { "Authorization": "Bearer ${OR_TOKEN}", "X-Secret-Id": "short" }]],
              "headers": { "HTTP-Referer": "https://example.com/app-with-a-long-url" }
            }
          }
        }
        """;

    [Fact]
    public void Mask_HidesKeysHeaderValuesAndNestedSecrets_ButNotReferences()
    {
        var masked = SecretMask.Mask(Config);

        masked.ShouldContain("\"apiKey\": \"********1111\"");
        masked.ShouldContain("\"X-Secret-Id\": \"********\"");
        masked.ShouldContain("\"HTTP-Referer\": \"********-url\"");
        masked.ShouldContain("\"Authorization\": \"Bearer ${OR_TOKEN}\"");
        masked.ShouldContain("\"cleancache\"");
        masked.ShouldNotContain("aaaa");
    }

    [Fact]
    public void Unmask_UnchangedMasks_GiveBackTheOriginalTextExactly()
    {
        var (text, problems) = SecretMask.Unmask(SecretMask.Mask(Config), Config);

        problems.ShouldBeEmpty();
        text.ShouldBe(Config);
    }

    [Fact]
    public void Unmask_MaskInAnotherArrayPosition_IsRefused()
    {
        var moved = SecretMask.Mask(Config).Replace("\"cleancache\"", "\"********\"", StringComparison.Ordinal);

        var (text, problems) = SecretMask.Unmask(moved, Config);

        text.ShouldBeNull();
        problems.ShouldHaveSingleItem().Path.ShouldBe("providers.or.transformers.[0]");
    }

    [Fact]
    public void Unmask_UrlWithItsPasswordMasked_GetsThePasswordBack_AndAnEditedHostIsRefused()
    {
        const string config = """{ "proxyUrl": "http://me:pr0xy-pass@proxy.example:3128", "port": 11436 }""";
        var masked = SecretMask.Mask(config);
        masked.ShouldContain("\"http://me:********@proxy.example:3128\"");

        var (kept, keptProblems) = SecretMask.Unmask(masked.Replace("11436", "11437", StringComparison.Ordinal), config);
        keptProblems.ShouldBeEmpty();
        kept.ShouldBe(config.Replace("11436", "11437", StringComparison.Ordinal));

        var (moved, problems) = SecretMask.Unmask(masked.Replace("proxy.example", "elsewhere.example", StringComparison.Ordinal), config);
        moved.ShouldBeNull();
        problems.ShouldHaveSingleItem().Path.ShouldBe("proxyUrl");
    }

    [Theory]
    [InlineData("$OPENAI_API_KEY", true)]
    [InlineData("Bearer ${TOKEN}", true)]
    [InlineData("sk-live-$SUFFIX-with-a-long-literal-part", false)]
    [InlineData("plain-secret", false)]
    public void IsReference_OnlyForValuesThatAreReferences(string value, bool reference) =>
        Secrets.IsReference(value).ShouldBe(reference);
}
