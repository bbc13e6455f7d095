using Shouldly;
using Switchboard.Providers;

namespace Switchboard.Tests.Providers;

/// <summary>
/// The kinds are the one list of provider types: the default registry is built from them, and the CLI asks them what
/// it used to read from type names. These pin both halves, so a kind added or changed shows up here.
/// </summary>
public sealed class ProviderKindsTests
{
    [Fact]
    public void DefaultRegistry_HasOneFactoryPerKind_InTheKindsOrder()
    {
        using var upstream = new UpstreamClient();

        var registry = ProviderRegistry.CreateDefault(upstream);

        registry.Types.ShouldBe(ProviderKinds.All.Select(kind => kind.Type));
        registry.Factories.Select(factory => factory.Type).ShouldBe(ProviderKinds.All.Select(kind => kind.Type));
    }

    [Fact]
    public void Find_ATypeTheBuildDoesNotKnow_IsNull() =>
        ProviderKinds.Find("smoke-signals").ShouldBeNull();

    [Fact]
    public void ClaudeCodesOwnModels_AndTheClientsLogin_BelongToAnthropicOnly()
    {
        ProviderKinds.All.Where(kind => kind.ClaudeCodeKnowsItsModels).Select(kind => kind.Type).ShouldBe(["anthropic"]);
        ProviderKinds.All.Where(kind => kind.ForwardsClientLogin).Select(kind => kind.Type).ShouldBe(["anthropic"]);
    }

    [Fact]
    public void InstallCommand_OfOllama_IsItsPull_AndNoOtherKindHasOne()
    {
        ProviderKinds.Find("ollama")!.InstallCommand!("qwen3:8b").ShouldBe("ollama pull qwen3:8b");
        ProviderKinds.All.Where(kind => kind.InstallCommand is not null).Select(kind => kind.Type).ShouldBe(["ollama"]);
    }
}
