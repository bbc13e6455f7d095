using Shouldly;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Tests.Config;

/// <summary>A config that does not fit its shape is reported in the config's own words, never in .NET's.</summary>
public sealed class ConfigJsonErrorsTests
{
    private const string File = "/home/u/.switchboard/config.json";
    private static readonly ProviderRegistry Registry = ProviderRegistry.CreateDefault(new UpstreamClient());

    [Theory]
    [InlineData("""{"port": "eleven"}""", "$.port must be a whole number")]
    [InlineData("""{"port": 1.5}""", "$.port must be a whole number")]
    [InlineData("""{"pingIntervalSeconds": "often"}""", "$.pingIntervalSeconds must be a number")]
    [InlineData("""{"host": 127}""", "$.host must be a string")]
    [InlineData("""{"ledger": {"enabled": "yes"}}""", "$.ledger.enabled must be true or false")]
    [InlineData("""{"claudeCode": {"nonInteractive": 1}}""", "$.claudeCode.nonInteractive must be true or false")]
    [InlineData("""{"ledger": 3}""", "$.ledger must be an object")]
    [InlineData("""{"providers": []}""", "$.providers must be an object")]
    [InlineData("""{"providers": {"a": {"type": "ollama", "numCtx": true}}}""", "$.providers.a.numCtx must be a whole number")]
    [InlineData("""{"providers": {"a": {"type": "ollama", "baseUrl": 5}}}""", "$.providers.a.baseUrl must be a string")]
    [InlineData("""{"providers": {"a": {"type": "ollama", "models": "m"}}}""", "$.providers.a.models must be a list")]
    [InlineData("""{"defaultProvder": "x"}""", "$.defaultProvder is not a known key; did you mean defaultProvider?")]
    [InlineData("""{"prot": 1}""", "$.prot is not a known key; did you mean port?")]
    [InlineData("""{"providers": {"a": {"type": "ollama", "baseurll": "x"}}}""", "$.providers.a.baseurll is not a known key; did you mean baseUrl?")]
    [InlineData("""{"ledger": {"retentionDay": 3}}""", "$.ledger.retentionDay is not a known key; did you mean retentionDays?")]
    [InlineData("""{"providers": {"a": {"baseUrl": "http://x"}}}""", "$.providers.a is missing the required key 'type'")]
    public void Parse_ValueOfTheWrongKindOrUnknownKey_IsSaidInTheConfigsWords(string json, string expected)
    {
        var (config, errors) = ConfigLoader.Parse(json, File, Registry);

        config.ShouldBeNull();
        var message = errors.ShouldHaveSingleItem().ToString();
        message.ShouldBe($"{File}:1: {expected}");
        message.ShouldNotContain("System.");
        message.ShouldNotContain(".NET");
        message.Split(File).Length.ShouldBe(2, "the file is named once");
    }

    [Fact]
    public void Parse_UnknownKeyNothingLike_ListsTheKeysThatObjectTakes()
    {
        var (_, errors) = ConfigLoader.Parse("""{"ledger": {"zzzzzzzzzzzz": 1}}""", File, Registry);

        errors.ShouldHaveSingleItem().Problem.ShouldBe("is not a known key; known keys here: enabled, retentionDays, queueSize");
    }

    [Theory]
    [InlineData("prot", "port", 1)]
    [InlineData("defaultProvder", "defaultProvider", 1)]
    [InlineData("PORT", "port", 0)]
    [InlineData("", "host", 4)]
    public void Distance_CountsEditsIgnoringCase_ASwapAsOne(string a, string b, int edits) =>
        ConfigJsonErrors.Distance(a, b).ShouldBe(edits);
}
