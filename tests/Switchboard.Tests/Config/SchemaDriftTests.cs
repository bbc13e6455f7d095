using System.Reflection;
using System.Text.Json;
using Shouldly;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Bedrock;
using Switchboard.Providers.Ollama;
using Switchboard.Providers.OpenAI;
using Switchboard.Providers.OpenAI.Transformers;

namespace Switchboard.Tests.Config;

/// <summary>
/// The schema editors validate against is written by hand; the code is what runs. These keep the two saying the same
/// thing, so a provider type, transformer or preset added in code cannot be missing from the schema (an editor would
/// flag a working config as wrong), and the schema cannot offer one the code does not know.
/// </summary>
public sealed class SchemaDriftTests
{
    private static readonly ProviderRegistry Registry = ProviderRegistry.CreateDefault(new UpstreamClient());

    [Fact]
    public void ProviderTypes_InTheSchema_AreTheRegistrysTypes() =>
        Enum("definitions", "provider", "properties", "type").ShouldBe(Registry.Types, ignoreOrder: true);

    [Fact]
    public void TransformerNames_InTheSchema_AreTheCataloguesNames() =>
        Enum("definitions", "transformerName").ShouldBe(TransformerCatalog.Names, ignoreOrder: true);

    [Fact]
    public void Presets_InTheSchema_AreTheOpenAIPresets() =>
        Enum("definitions", "provider", "properties", "preset").ShouldBe(OpenAIPresets.Names, ignoreOrder: true);

    [Fact]
    public void Apis_InTheSchema_AreTheOllamaAndBedrockApis() =>
        Enum("definitions", "provider", "properties", "api").ShouldBe(
            new[] { OllamaProvider.ApiNative, OllamaProvider.ApiAnthropic, BedrockProvider.ApiConverse, BedrockProvider.ApiAnthropic }.Distinct(),
            ignoreOrder: true);

    [Fact]
    public void RelayModes_InTheSchema_AreTheAnthropicProvidersModes() =>
        Enum("definitions", "provider", "properties", "relay").ShouldBe(
            [AnthropicProvider.RelayBytes, AnthropicProvider.RelayEvents], ignoreOrder: true);

    [Fact]
    public void EveryOptionAFactoryDeclares_IsAProviderKeyOfTheSchema()
    {
        using var schema = Schema();
        var keys = schema.RootElement.GetProperty("definitions").GetProperty("provider").GetProperty("properties")
            .EnumerateObject().Select(property => property.Name).ToHashSet();

        var declared = Registry.Factories.SelectMany(factory => factory.Options.Select(option => (factory.Type, option.Key))).ToList();

        declared.ShouldNotBeEmpty();
        foreach (var (type, key) in declared)
            keys.ShouldContain(key.Split('.')[0], $"the {type} factory declares '{key}', which the schema's provider entry does not have");
    }

    [Fact]
    public void ProviderKeys_InTheSchema_AreTheKeysAProviderEntryReads()
    {
        using var schema = Schema();
        var keys = schema.RootElement.GetProperty("definitions").GetProperty("provider").GetProperty("properties")
            .EnumerateObject().Select(property => property.Name);

        // The entry's shared keys, and the keys each type reads from it through its options record (numCtx, preset, …)
        var read = ConfigJson.Default.GetTypeInfo(typeof(ProviderConfig))!.Properties
            .Where(property => property.Set is not null && !property.IsExtensionData).Select(property => property.Name)
            .Concat(Registry.Factories.SelectMany(factory => factory.Options).Where(option => option.Value is not null).Select(option => option.Key))
            .Distinct();

        keys.ShouldBe(read, ignoreOrder: true);
    }

    private static List<string> Enum(params string[] path)
    {
        using var schema = Schema();
        var node = schema.RootElement;
        foreach (var step in path) node = node.GetProperty(step);
        return node.GetProperty("enum").EnumerateArray().Select(value => value.GetString()!).ToList();
    }

    /// <summary>The schema as shipped: the copy embedded in Switchboard.Core, which <c>init</c> writes next to the config.</summary>
    private static JsonDocument Schema()
    {
        using var stream = typeof(ConfigFile).Assembly.GetManifestResourceStream("config.schema.json")
            ?? throw new InvalidOperationException("config.schema.json is not embedded in Switchboard.Core");
        return JsonDocument.Parse(stream);
    }
}
