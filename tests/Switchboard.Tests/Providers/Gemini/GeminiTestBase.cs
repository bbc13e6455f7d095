using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>Base for tests of Anthropic Messages ↔ Gemini generateContent, through the real server, against a scripted Gemini.</summary>
public abstract class GeminiTestBase : IAsyncLifetime
{
    protected ScriptedGemini Gemini { get; private set; } = null!;
    protected RunningSwitchboard Switchboard { get; private set; } = null!;
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Gemini = await ScriptedGemini.StartAsync();
        Switchboard = await RunningSwitchboard.StartAsync(Gemini.Config());
    }

    public async ValueTask DisposeAsync()
    {
        await Switchboard.DisposeAsync();
        await Gemini.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected Task<List<StreamEvent>> StreamAsync(string body) => AnthropicWire.PostStreamAsync(Switchboard.Client, body, Cancel);

    protected static string Body(string model, string messages, string extra = "") =>
        $$"""{"model":"{{model}}","max_tokens":1000,"stream":true,{{extra}} "messages":{{messages}}}""";
}
