using Switchboard.Config;

namespace Switchboard.Providers.Bedrock;

/// <summary><c>"type": "bedrock"</c>: Amazon Bedrock, with an AWS profile, the AWS credential chain or a Bedrock API key.</summary>
public sealed class BedrockProviderFactory(UpstreamClient upstream) : IProviderFactory
{
    public string Type => "bedrock";

    public IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config)
    {
        if (config.BaseUrl is { } baseUrl && !Uri.TryCreate(EnvExpander.Expand(baseUrl), UriKind.Absolute, out _))
            yield return ("baseUrl", $"'{baseUrl}' is not an absolute URL");
        if (config.Api is not (null or BedrockProvider.ApiConverse or BedrockProvider.ApiAnthropic))
            yield return ("api", $"'{config.Api}' is not a Bedrock API; use 'converse' or 'anthropic'");
        if (config.ApiKey is not null && config.Profile is not null)
            yield return ("profile", "set either apiKey (a Bedrock API key) or profile (AWS credentials), not both");
        foreach (var (key, set) in new[] { ("relay", config.Relay is not null), ("numCtx", config.NumCtx is not null), ("strictThinking", config.StrictThinking is not null) })
            if (set) yield return (key, "does not apply to bedrock providers");
    }

    public IProvider Create(string name, ProviderConfig config) => new BedrockProvider(name, config, upstream);
}
