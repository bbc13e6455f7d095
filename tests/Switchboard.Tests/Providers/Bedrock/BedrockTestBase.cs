using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Bedrock;

/// <summary>Base for tests of Anthropic Messages ↔ Bedrock (Converse and InvokeModel), through the real server, against a scripted Bedrock.</summary>
public abstract class BedrockTestBase : IAsyncLifetime
{
    protected const string Haiku = "anthropic.claude-haiku-4-5-20251001-v1:0";
    protected ScriptedBedrock Bedrock { get; private set; } = null!;
    protected RunningSwitchboard Switchboard { get; private set; } = null!;
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        TestAwsProfile.Install();
        Bedrock = await ScriptedBedrock.StartAsync();
        Switchboard = await RunningSwitchboard.StartAsync(Bedrock.Config());
    }

    public async ValueTask DisposeAsync()
    {
        await Switchboard.DisposeAsync();
        await Bedrock.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected Task<List<StreamEvent>> StreamAsync(string body, RunningSwitchboard? switchboard = null) =>
        AnthropicWire.PostStreamAsync((switchboard ?? Switchboard).Client, body, Cancel);

    protected static string Body(string messages, string extra = "", string model = Haiku) =>
        $$"""{"model":"{{model}}","max_tokens":2000,"stream":true,{{extra}} "messages":{{messages}}}""";
}
