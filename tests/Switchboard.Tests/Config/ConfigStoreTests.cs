using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Config;

public sealed class ConfigStoreTests
{
    private static readonly ProviderRegistry Registry = ProviderRegistry.CreateDefault(new UpstreamClient());

    private static string Config(int port) =>
        "{\"port\": " + port + ", \"providers\": {\"anthropic\": {\"type\": \"anthropic\"}}}";

    [Fact]
    public void Current_AfterValidEdit_ServesTheNewConfig()
    {
        using var home = new TempHome();
        home.WriteConfig(Config(1000));
        var store = new ConfigStore(home.Home.ConfigFile, Registry, NullLogger.Instance);

        home.WriteConfig(Config(2000) + "   ");

        store.Current.Config.Port.ShouldBe(2000);
        store.Current.Version.ShouldBe(2);
        store.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void Current_AfterBrokenEdit_KeepsServingTheLastGoodConfigAndReportsWhy()
    {
        using var home = new TempHome();
        home.WriteConfig(Config(1000));
        var store = new ConfigStore(home.Home.ConfigFile, Registry, NullLogger.Instance);

        home.WriteConfig("""{"port": 2000, "providers": {"anthropic": {"type": "nope"}}}""");

        store.Current.Config.Port.ShouldBe(1000);
        store.Problems.ShouldHaveSingleItem().JsonPath.ShouldBe("$.providers.anthropic.type");
        File.ReadAllText(home.Home.ConfigFile).ShouldContain("nope");

        // And once the file is fixed, the fix is served and the problem cleared
        home.WriteConfig(Config(3000));
        store.Current.Config.Port.ShouldBe(3000);
        store.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void Constructor_BrokenFirstLoad_FailsFast()
    {
        using var home = new TempHome();
        home.WriteConfig("{ not json");

        var failure = Should.Throw<ConfigException>(() => new ConfigStore(home.Home.ConfigFile, Registry, NullLogger.Instance));

        failure.Errors.ShouldHaveSingleItem().File.ShouldBe(home.Home.ConfigFile);
    }

    [Fact]
    public void Current_WithOverrides_AppliesThemToEveryReload()
    {
        using var home = new TempHome();
        home.WriteConfig(Config(1000));
        var store = new ConfigStore(home.Home.ConfigFile, Registry, NullLogger.Instance, c => c with { Port = 5 });

        store.Current.Config.Port.ShouldBe(5);
        home.WriteConfig(Config(2000) + " ");
        store.Current.Config.Port.ShouldBe(5);
    }
}
