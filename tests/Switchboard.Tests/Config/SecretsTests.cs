using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Cli.Editing;
using Switchboard.Config;
using Switchboard.Dashboard;

namespace Switchboard.Tests.Config;

/// <summary>
/// The one rule for what is a secret (<see cref="Secrets"/>), row by row, and proof that the dashboard's mask and
/// <c>preset export</c>'s scrubber both follow it: for each row, both hide the secret, or both keep the value.
/// </summary>
public sealed class SecretsTests
{
    public static TheoryData<string, bool, string, string?> Rows => new()
    {
        // key, under a provider's headers, value, how the dashboard shows it (null: kept as it is)
        { "apiKey", false, "sk-live-0123456789abcdef", "********cdef" },
        { "api_key", false, "sk-short", "********" },
        { "key", false, "AIzaSyA-literal-key-value", "********alue" },
        { "token", false, "tok-literal", "********" },
        { "accessToken", false, "ya29.literal-access-token", "********oken" },
        { "secret", false, "s3cr3t", "********" },
        { "password", false, "hunter2", "********" },
        { "credential", false, "cred-literal", "********" },
        { "credentials", false, "creds-literal", "********" },
        { "cookie", false, "session=abc", "********" },
        { "authorization", false, "Bearer sk-literal", "********" },
        { "x-api-key", false, "xk-literal", "********" },
        { "Authorization", true, "Bearer sk-ant-0123456789abcdef", "********cdef" },
        { "X-Title", true, "mine", "********" },
        { "Cookie", true, "sid=literal", "********" },
        { "baseUrl", false, "http://user:pa55word@proxy.example:8080/v1", "http://user:********@proxy.example:8080/v1" },
        { "proxyUrl", false, "https://ghp_tokenasuser@proxy.example/", "https://********@proxy.example/" },
        { "postgres", false, "Host=db;Database=sb;Username=sb;Password=hunter2-pg", "********" },
        { "redis", false, "cache:6379,password=hunter2-redis", "********" },
        { "redis", false, "redis://:hunter2-redis@cache:6379", "redis://:********@cache:6379" },
        { "postgres", false, "$TEAM_POSTGRES", null },
        { "apiKey", false, "$OPENAI_API_KEY", null },
        { "apiKey", false, "${OPENAI_API_KEY}", null },
        { "Authorization", true, "Bearer $OR_TOKEN", null },
        { "authorization", false, "Bearer ${OR_TOKEN}", null },
        { "baseUrl", false, "http://user:$PROXY_PASSWORD@proxy.example:8080", null },
        { "baseUrl", false, "https://api.example.com/v1", null },
        { "type", false, "openai", null },
        { "model", false, "kimi-k2", null },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Secrets_OneRule_TheDashboardMaskAndThePresetExportAgree(string key, bool inHeaders, string value, string? shown)
    {
        // Given a config holding the value under the key
        var provider = new JsonObject { ["type"] = "openai" };
        if (inHeaders) provider["headers"] = new JsonObject { [key] = value };
        else provider[key] = value;
        var config = new JsonObject { ["providers"] = new JsonObject { ["p"] = provider } };
        var text = config.ToJsonString();

        // Then the rule, the dashboard's mask and the export's scrubber all say the same
        Secrets.IsSecret(key, inHeaders ? "headers" : "p", value).ShouldBe(shown is not null);
        var masked = SecretMask.Mask(text);
        var scrubbed = SecretScrubber.Scrub(config);
        var exported = config.ToJsonString();
        if (shown is null)
        {
            masked.ShouldBe(text);
            scrubbed.ShouldBeEmpty();
            exported.ShouldBe(text);
            return;
        }
        var secretPart = SecretPart(value);
        masked.ShouldContain(System.Text.Json.JsonSerializer.Serialize(shown).Trim('"'));
        masked.ShouldNotContain(secretPart);
        exported.ShouldNotContain(secretPart);
        scrubbed.ShouldHaveSingleItem();
        Secrets.IsSecret(key, inHeaders ? "headers" : "p", (string)(inHeaders ? config["providers"]!["p"]!["headers"]![key] : config["providers"]!["p"]![key])!)
            .ShouldBeFalse("what the export writes is a reference, which the rule keeps");
    }

    [Fact]
    public void MaskUrl_HidesTheLoginOnly_AndLeavesOtherUrlsAlone()
    {
        Secrets.MaskUrl("http://u:p4ss@h:1/x").ShouldBe("http://u:********@h:1/x");
        Secrets.MaskUrl("http://h:1/x?key=@").ShouldBe("http://h:1/x?key=@");
        Secrets.MaskUrl(null).ShouldBeNull();
    }

    /// <summary>The part of a secret value that must not be seen: a URL's password or user, a bearer's token, or all of it.</summary>
    private static string SecretPart(string value) =>
        value.Contains('@') ? value.Split("://")[1].Split('@')[0].Split(':')[^1]
        : value.StartsWith("Bearer ", StringComparison.Ordinal) ? value[7..]
        : value;
}
