using System.Text.Json;
using Shouldly;
using Switchboard.Config;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Config;

public sealed class ConfigFileTests
{
    [Fact]
    public void CreateIfMissing_FirstRun_WritesDefaultsAndSchema()
    {
        using var home = new TempHome();

        ConfigFile.CreateIfMissing(home.Home).ShouldBeTrue();

        File.ReadAllText(home.Home.ConfigFile).ShouldBe(ConfigFile.DefaultJson);
        using var schema = JsonDocument.Parse(File.ReadAllText(home.Home.SchemaFile));
        schema.RootElement.GetProperty("properties").TryGetProperty("providers", out _).ShouldBeTrue();
        JsonDocument.Parse(File.ReadAllText(home.Home.ConfigFile)).RootElement.GetProperty("$schema").GetString()
            .ShouldBe("./config.schema.json");
    }

    [Fact]
    public void CreateIfMissing_ExistingConfig_IsNeverOverwritten()
    {
        using var home = new TempHome();
        const string mine = "{ \"port\": 1234, /* mine */ }";
        home.WriteConfig(mine);

        ConfigFile.CreateIfMissing(home.Home).ShouldBeFalse();

        File.ReadAllText(home.Home.ConfigFile).ShouldBe(mine);
        Directory.GetFiles(home.Folder).ShouldNotContain(path => path.EndsWith(".tmp"));
    }

    [Fact]
    public void Schema_DescribesEveryConfigKey()
    {
        // Given the keys the config type accepts (its JSON property names)
        var keys = Switchboard.Config.ConfigJson.Default.SwitchboardConfig.Properties.Where(p => p.Get is not null).Select(p => p.Name).ToList();
        var providerKeys = Switchboard.Config.ConfigJson.Default.ProviderConfig.Properties.Where(p => p.Get is not null && !p.IsExtensionData).Select(p => p.Name)
            .Concat(Switchboard.Providers.ProviderRegistry.CreateDefault(new Switchboard.Providers.UpstreamClient()).Factories
                .SelectMany(factory => factory.Options).Where(option => option.Value is not null).Select(option => option.Key))
            .ToList();
        using var home = new TempHome();
        ConfigFile.WriteSchema(home.Home);
        using var schema = JsonDocument.Parse(File.ReadAllText(home.Home.SchemaFile));

        // Then the schema names each of them, so editors complete and check every key
        var top = schema.RootElement.GetProperty("properties");
        foreach (var key in keys) top.TryGetProperty(key, out _).ShouldBeTrue($"schema lacks '{key}'");
        var provider = schema.RootElement.GetProperty("definitions").GetProperty("provider").GetProperty("properties");
        foreach (var key in providerKeys) provider.TryGetProperty(key, out _).ShouldBeTrue($"schema lacks provider key '{key}'");
    }
}
