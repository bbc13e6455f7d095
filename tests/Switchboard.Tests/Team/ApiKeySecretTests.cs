using System.Security.Cryptography;
using System.Text;
using Shouldly;
using Switchboard.Team;

namespace Switchboard.Tests.Team;

/// <summary>Issue 17, item 2: what a Switchboard key looks like, and how a presented one is found and checked.</summary>
public sealed class ApiKeySecretTests
{
    [Fact]
    public void Generate_SchemePrefixAndA256BitSecret_HashIsSha256OfTheWholeKey()
    {
        var (key, prefix, hash) = ApiKeySecret.Generate();

        key.ShouldMatch("^sb-[a-z2-9]{8}-[A-Za-z0-9_-]{43}$");
        Convert.FromBase64String(key[12..].Replace('-', '+').Replace('_', '/') + "=").Length.ShouldBe(32);
        prefix.ShouldBe(key[3..11]);
        hash.ShouldBe(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void Generate_EveryKeyAndPrefixDiffers()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => ApiKeySecret.Generate()).ToList();

        keys.Select(k => k.Key).Distinct().Count().ShouldBe(1000);
        keys.Select(k => k.Prefix).Distinct().Count().ShouldBe(1000);
    }

    [Theory]
    [InlineData("sb-abcdefgh-secret", "abcdefgh")]
    [InlineData("sb-abcdefgh-", null)]
    [InlineData("sb-abcdefghsecret", null)]
    [InlineData("sk-ant-api03-abcdefghijk", null)]
    [InlineData("", null)]
    public void PrefixOf_OnlyKeysShapedLikeOurs(string presented, string? prefix) => ApiKeySecret.PrefixOf(presented).ShouldBe(prefix);

    [Fact]
    public void Matches_OnlyTheExactKey()
    {
        var (key, _, hash) = ApiKeySecret.Generate();
        var lastCharChanged = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');

        ApiKeySecret.Matches(key, hash).ShouldBeTrue();
        ApiKeySecret.Matches(lastCharChanged, hash).ShouldBeFalse();
        ApiKeySecret.Matches(key + " ", hash).ShouldBeFalse();
    }

    [Theory]
    [InlineData("sb-key", null, "sb-key")]
    [InlineData("sb-key", "Bearer sb-other", "sb-key")]
    [InlineData(null, "Bearer sb-key", "sb-key")]
    [InlineData(null, "bearer  sb-key ", "sb-key")]
    [InlineData("  ", "Bearer sb-key", "sb-key")]
    [InlineData(null, "Basic dXNlcjpwYXNz", null)]
    [InlineData(null, "Bearer ", null)]
    [InlineData(null, null, null)]
    public void PresentedKey_XApiKeyFirst_ThenBearer(string? xApiKey, string? authorization, string? presented) =>
        PresentedKey.From(xApiKey, authorization).ShouldBe(presented);
}
