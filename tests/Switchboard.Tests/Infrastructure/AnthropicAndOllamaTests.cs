using Switchboard.Tests.EndToEnd;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// For tests of the real server between two scripted upstreams: an Anthropic model that answers "from anthropic MODEL"
/// and an Ollama that answers "from ollama MODEL", and a config naming both with quick retries.
/// </summary>
public abstract class AnthropicAndOllamaTests : IAsyncLifetime
{
    protected ScriptedUpstream _anthropic = null!;
    protected ScriptedOllama _ollama = null!;
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var model = new ScriptedAnthropicModel { Decide = c => new ScriptedAnthropicModel.Text("from anthropic " + c.Model) };
        _anthropic = await ScriptedUpstream.StartAsync(model.HandleAsync);
        _ollama = await ScriptedOllama.StartAsync();
        _ollama.Chat = chat => [ScriptedOllama.Text("from ollama " + chat["model"]!.GetValue<string>()), ScriptedOllama.Done()];
    }

    public async ValueTask DisposeAsync()
    {
        await _ollama.DisposeAsync();
        await _anthropic.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected string Config(string routing, string extraProviders = "") => $$"""
        {
          "defaultProvider": "anthropic",
          "retry": { "attempts": 2, "backoffMs": 1, "maxBackoffMs": 5, "failuresBeforeCooldown": 3, "cooldownSeconds": 60 },
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "{{_anthropic.BaseUrl}}" },
            "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" }
            {{extraProviders}}
          },
          {{routing}}
        }
        """;
}
