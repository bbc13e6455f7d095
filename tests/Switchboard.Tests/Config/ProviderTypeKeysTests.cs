using System.Text.Json;
using Shouldly;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Providers.Ollama;

namespace Switchboard.Tests.Config;

/// <summary>
/// The keys only some provider types take live in each type's options record, not in the shared entry. Read from the
/// file, they are checked as strictly as the shared keys and reported in the same words at the same line; written
/// back, the file keeps its flat shape.
/// </summary>
public sealed class ProviderTypeKeysTests
{
    private const string File = "/home/u/.switchboard/config.json";
    private static readonly ProviderRegistry Registry = ProviderRegistry.CreateDefault(new UpstreamClient());

    private static ConfigError TheError(string json)
    {
        var (config, errors) = ConfigLoader.Parse(json, File, Registry);
        config.ShouldBeNull();
        return errors.ShouldHaveSingleItem();
    }

    [Fact]
    public void Parse_TypeKeyOfTheWrongKindOnALaterLine_IsReportedAtItsValuesLine_AsASharedKeyIs()
    {
        // Given the same bad value under a shared key and under a key only ollama takes, the value on the line after its key
        const string entry = "{\n  \"providers\": {\n    \"a\": {\n      \"type\": \"ollama\",\n      \"KEY\":\n        true\n    }\n  }\n}";

        // When each is read
        var shared = TheError(entry.Replace("KEY", "timeoutSeconds"));
        var typeKey = TheError(entry.Replace("KEY", "numCtx"));

        // Then both are told the same way, at the value's line
        shared.ToString().ShouldBe($"{File}:6: $.providers.a.timeoutSeconds must be a whole number");
        typeKey.ToString().ShouldBe($"{File}:6: $.providers.a.numCtx must be a whole number");
    }

    [Fact]
    public void Parse_MisspelledTypeKey_IsUnknown_AtItsKeysLine_AsInAnyOtherObject_WithTheNearestKeyAnyTypeTakes()
    {
        // Given a misspelt key in a provider entry, and one in an object the strict reader checks, each key on line 4
        var entry = TheError("{\n  \"providers\": {\n    \"a\": {\n      \"numCxt\":\n        8192,\n      \"type\": \"ollama\"\n    }\n  }\n}");
        var ledger = TheError("{\n  \"ledger\": {\n    \"enabled\": true,\n    \"retentionDay\":\n      3\n  }\n}");

        // Then both are reported at the key, the entry's with the nearest of the keys its type or another takes
        ledger.ToString().ShouldBe($"{File}:4: $.ledger.retentionDay is not a known key; did you mean retentionDays?");
        entry.ToString().ShouldBe($"{File}:4: $.providers.a.numCxt is not a known key; did you mean numCtx?");
    }

    [Fact]
    public void Parse_UnknownKeyNothingLike_ListsTheSharedKeysAndEveryTypesKeys()
    {
        var error = TheError("""{"providers": {"a": {"type": "ollama", "zzzzzzzzzzzzzzzz": 1}}}""");

        error.Problem.ShouldStartWith("is not a known key; known keys here: type, baseUrl, apiKey");
        foreach (var key in new[] { "perModel", "relay", "api", "numCtx", "strictThinking", "preset", "transformers", "region", "profile" })
            error.Problem.ShouldContain(key);
    }

    [Fact]
    public void Parse_AnotherTypesKeyOfTheWrongKind_IsAWrongKind_BeforeItIsMisplaced()
    {
        var error = TheError("""{"providers": {"a": {"type": "openai", "numCtx": "big"}}}""");

        error.ToString().ShouldBe($"{File}:1: $.providers.a.numCtx must be a whole number");
    }

    [Fact]
    public void Parse_TypeKeys_AreWhatTheTypesOptionsRead_AndAreWrittenBackFlat()
    {
        // Given an ollama entry with its own keys
        var (config, errors) = ConfigLoader.Parse(
            """{"defaultProvider": "a", "providers": {"a": {"type": "ollama", "numCtx": 8192, "strictThinking": true, "api": "native"}}}""",
            File, Registry);
        errors.ShouldBeEmpty();

        // Then the ollama options record reads them
        OllamaProviderOptions.Of(config!.Providers["a"]).ShouldBe(new OllamaProviderOptions("native", 8192, true));

        // And the config serialises with them beside the shared keys, as the file has them
        using var written = JsonDocument.Parse(JsonSerializer.Serialize(config, ConfigJson.Default.SwitchboardConfig));
        var entry = written.RootElement.GetProperty("providers").GetProperty("a");
        entry.GetProperty("numCtx").GetInt32().ShouldBe(8192);
        entry.GetProperty("strictThinking").GetBoolean().ShouldBeTrue();
        entry.EnumerateObject().Select(property => property.Name).ShouldNotContain("typeOptions");
    }

    [Fact]
    public void With_SetsTheKeyOnACopy_LeavingTheOriginalAsItWas()
    {
        var original = new ProviderConfig { Type = "ollama", BaseUrl = "http://127.0.0.1:11434" };

        var strict = OllamaProviderOptions.StrictThinkingKey.With(original, true);

        OllamaProviderOptions.Of(strict).StrictThinking.ShouldBe(true);
        strict.BaseUrl.ShouldBe("http://127.0.0.1:11434");
        OllamaProviderOptions.Of(original).StrictThinking.ShouldBeNull();
        original.TypeOptions.ShouldBeNull();
    }
}
