using Microsoft.Extensions.Logging;
using Switchboard.Config;

namespace Switchboard.Providers.Ollama;

/// <summary><c>"type": "ollama"</c>: a local Ollama, a remote one, or Ollama cloud (<c>https://ollama.com</c> with a key).</summary>
public sealed class OllamaProviderFactory(UpstreamClient upstream, ILoggerFactory loggers) : IProviderFactory
{
    public string Type => "ollama";

    public IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config)
    {
        if (config.Api is not (null or OllamaProvider.ApiNative or OllamaProvider.ApiAnthropic))
            yield return ("api", $"'{config.Api}' is not an Ollama API; use 'native' or 'anthropic'");
        if (config.NumCtx is < 256) yield return ("numCtx", "must be at least 256 tokens");
    }

    public IProvider Create(string name, ProviderConfig config) =>
        new OllamaProvider(name, config, upstream, loggers.CreateLogger("Switchboard.Providers.Ollama"));
}
