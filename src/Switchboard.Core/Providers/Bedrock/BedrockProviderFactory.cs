using Switchboard.Config;

namespace Switchboard.Providers.Bedrock;

/// <summary><c>"type": "bedrock"</c>: Amazon Bedrock, with an AWS profile, the AWS credential chain or a Bedrock API key.</summary>
internal sealed class BedrockProviderFactory(UpstreamClient upstream) : IProviderFactory
{
    internal static ProviderKind Kind { get; } = new()
    {
        Type = "bedrock",
        CreateFactory = services => new BedrockProviderFactory(services.Upstream),
    };

    public string Type => Kind.Type;

    public IReadOnlyList<ProviderOption> Options => BedrockProviderOptions.Keys;

    public IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config)
    {
        var options = BedrockProviderOptions.Of(config);
        if (options.Api is not (null or BedrockProvider.ApiConverse or BedrockProvider.ApiAnthropic))
            yield return ("api", $"'{options.Api}' is not a Bedrock API; use 'converse' or 'anthropic'");
        if (config.ApiKey is not null && options.Profile is not null)
            yield return ("profile", "set either apiKey (a Bedrock API key) or profile (AWS credentials), not both");
    }

    /// <summary>Amazon's models, or a proxy in front of them even at a local address: priced like Bedrock.</summary>
    public bool IsLocal(ProviderConfig config) => false;

    public IProvider Create(string name, ProviderConfig config) => new BedrockProvider(name, config, upstream);
}
