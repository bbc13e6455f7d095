using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// One scripted upstream per wire format, under short provider names: <c>anthropic</c> (the default provider, answering
/// with the given script), <c>ol</c> Ollama, <c>oa</c> OpenAI-compatible, <c>gm</c> Gemini, <c>br</c> Bedrock (with
/// its API key, so no AWS profile is needed). <see cref="Config"/> is a Switchboard config naming them all.
/// </summary>
public sealed class ScriptedProviders : IAsyncDisposable
{
    private ScriptedProviders(ScriptedUpstream anthropic, ScriptedOllama ollama, ScriptedOpenAI openai, ScriptedGemini gemini, ScriptedBedrock bedrock)
    {
        Anthropic = anthropic;
        Ollama = ollama;
        OpenAI = openai;
        Gemini = gemini;
        Bedrock = bedrock;
    }

    public ScriptedUpstream Anthropic { get; }
    public ScriptedOllama Ollama { get; }
    public ScriptedOpenAI OpenAI { get; }
    public ScriptedGemini Gemini { get; }
    public ScriptedBedrock Bedrock { get; }

    public static async Task<ScriptedProviders> StartAsync(Func<HttpContext, RecordedRequest, Task> anthropic) =>
        new(await ScriptedUpstream.StartAsync(anthropic), await ScriptedOllama.StartAsync(), await ScriptedOpenAI.StartAsync(),
            await ScriptedGemini.StartAsync(), await ScriptedBedrock.StartAsync());

    public string Config => $$"""
        {
          "defaultProvider": "anthropic",
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "{{Anthropic.BaseUrl}}" },
            "ol": { "type": "ollama", "baseUrl": "{{Ollama.BaseUrl}}" },
            "oa": { "type": "openai", "baseUrl": "{{OpenAI.BaseUrl}}" },
            "gm": { "type": "gemini", "baseUrl": "{{Gemini.BaseUrl}}", "apiKey": "{{ScriptedGemini.Key}}" },
            "br": { "type": "bedrock", "baseUrl": "{{Bedrock.BaseUrl}}", "region": "{{ScriptedBedrock.Region}}", "apiKey": "{{ScriptedBedrock.ApiKey}}" }
          }
        }
        """;

    private IEnumerable<(string Name, IReadOnlyCollection<RecordedRequest> Requests)> All =>
    [
        ("anthropic", Anthropic.Requests), ("ol", Ollama.Requests), ("oa", OpenAI.Requests), ("gm", Gemini.Requests), ("br", Bedrock.Requests),
    ];

    /// <summary>How many requests each upstream has received so far, for <see cref="ReceivedSince"/>.</summary>
    public int[] Counts() => [.. All.Select(upstream => upstream.Requests.Count)];

    /// <summary>What each upstream received after <paramref name="counts"/> was taken, tagged with its provider name.</summary>
    public List<(string Upstream, RecordedRequest Request)> ReceivedSince(int[] counts) =>
        [.. All.SelectMany((upstream, i) => upstream.Requests.Skip(counts[i]).Select(request => (upstream.Name, request)))];

    public async ValueTask DisposeAsync()
    {
        await Bedrock.DisposeAsync();
        await Gemini.DisposeAsync();
        await OpenAI.DisposeAsync();
        await Ollama.DisposeAsync();
        await Anthropic.DisposeAsync();
    }
}
