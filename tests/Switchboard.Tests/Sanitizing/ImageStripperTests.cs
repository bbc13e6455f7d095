using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Sanitizing;
using static Switchboard.Tests.Sanitizing.Histories;

namespace Switchboard.Tests.Sanitizing;

public sealed class ImageStripperTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string ThreeImages = """
        [{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"text","text":"what is it?"}]},
         {"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"Read","input":{"file_path":"a.png"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":[
            {"type":"text","text":"two pictures"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
            {"type":"image","source":{"type":"url","url":"https://example.invalid/b.png"}}]}]}]
        """;

    [Fact]
    public void TextOnlyModel_EveryImageNestedOnesIncludedBecomesAMarker()
    {
        var (sent, log) = Prepare(Messages(ThreeImages), Target("ollama", model: "qwen2.5-coder:7b", vision: false));

        var request = Sent(sent);
        request.ToJsonString().ShouldNotContain("\"image\"");
        request["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>().ShouldBe("[image omitted]");
        var nested = request["messages"]![2]!["content"]![0]!["content"]!.AsArray();
        nested.Select(b => b!["text"]!.GetValue<string>()).ShouldBe(["two pictures", "[image omitted]", "[image omitted]"]);
        log.ShouldContain("ollama: stripped 3 images for qwen2.5-coder:7b");
    }

    [Fact]
    public void RecordedKimiSession_ImageTheReadToolReturned_IsStrippedForATextModel()
    {
        var (sent, log) = Prepare(Call(Fixture(KimiResumed)), Target("openai", model: "deepseek-chat", vision: false));

        Sent(sent).ToJsonString().ShouldNotContain("\"image\"");
        log.ShouldContain("stripped 1 image for deepseek-chat");
    }

    [Fact]
    public void VisionModel_KeepsEveryImage()
    {
        var call = Messages(ThreeImages);

        Prepare(call, Target("ollama", model: "llava:7b", vision: true)).Call.ShouldBeSameAs(call);
    }

    [Theory]
    [InlineData(false, true, false)]
    [InlineData(true, true, true)]
    [InlineData(null, false, false)]
    [InlineData(null, true, true)]
    public async Task Vision_ComesFromConfigFirst_ThenTheModelCatalog(bool? configured, bool catalogSays, bool expected)
    {
        var catalog = new FakeCatalog(new ModelCapabilities(catalogSays, true, false, null));
        var config = new ProviderConfig { Type = "ollama", Vision = configured };

        var profile = await TargetProfiles.ForAsync(catalog, config, Messages(ThreeImages).Request, Cancel);

        profile.Vision.ShouldBe(expected);
    }

    [Fact]
    public async Task CatalogThatCannotTell_LeavesImagesForTheModel()
    {
        var catalog = new FakeCatalog(ModelCapabilities.Unknown);

        var profile = await TargetProfiles.ForAsync(catalog, new ProviderConfig { Type = "ollama" }, Messages(ThreeImages).Request, Cancel);

        profile.Vision.ShouldBeTrue();
    }

    [Fact]
    public async Task RequestWithoutImages_NeverAsksTheCatalog()
    {
        var catalog = new FakeCatalog(new ModelCapabilities(false, true, false, null));

        await TargetProfiles.ForAsync(catalog, new ProviderConfig { Type = "ollama" }, Messages("""[{"role":"user","content":"hi"}]""").Request, Cancel);

        catalog.Asked.ShouldBe(0);
    }

    private sealed class FakeCatalog(ModelCapabilities capabilities) : IProvider, IModelCatalog
    {
        public int Asked { get; private set; }
        public string Name => "fake";

        public TargetProfile Profile(string model) => TargetProfile.ForTranslation(Name, model);

        public Task<ModelCapabilities> DescribeModelAsync(string model, CancellationToken cancellationToken)
        {
            Asked++;
            return Task.FromResult(capabilities);
        }

        public Task<IReadOnlyList<ListedModel>> ListModelsAsync(IReadOnlyList<KeyValuePair<string, string>> clientHeaders, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ListedModel>>([]);

        public Task<ProviderReply> SendMessagesAsync(ProviderCall call, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ProviderReply> CountTokensAsync(ProviderCall call, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
