using Microsoft.Extensions.Logging;
using Switchboard.Config;

namespace Switchboard.Providers.Ollama;

/// <summary><c>"type": "ollama"</c>: a local Ollama, a remote one, or Ollama cloud (<c>https://ollama.com</c> with a key).</summary>
public sealed class OllamaProviderFactory(UpstreamClient upstream, ILoggerFactory loggers) : IProviderFactory
{
    internal static ProviderKind Kind { get; } = new()
    {
        Type = "ollama",
        InstallCommand = model => $"ollama pull {model}",
        CreateFactory = services => new OllamaProviderFactory(services.Upstream, services.Loggers),
    };

    public string Type => Kind.Type;

    public IReadOnlyList<ProviderOption> Options => OllamaProviderOptions.Keys;

    public IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config)
    {
        var options = OllamaProviderOptions.Of(config);
        if (options.Api is not (null or OllamaProvider.ApiNative or OllamaProvider.ApiAnthropic))
            yield return ("api", $"'{options.Api}' is not an Ollama API; use 'native' or 'anthropic'");
        if (options.NumCtx is < 256) yield return ("numCtx", "must be at least 256 tokens");
    }

    /// <summary>An Ollama on this machine or the local network (the default, 127.0.0.1); Ollama cloud is not.</summary>
    public bool IsLocal(ProviderConfig config) =>
        LocalAddress.IsLocal(config.BaseUrl is { } baseUrl ? EnvExpander.Expand(baseUrl) : OllamaEndpoint.DefaultBaseUrl);

    public IProvider Create(string name, ProviderConfig config) =>
        new OllamaProvider(name, config, upstream, loggers.CreateLogger("Switchboard.Providers.Ollama"));
}
