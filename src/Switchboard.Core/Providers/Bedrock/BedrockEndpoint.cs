using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Switchboard.Anthropic;
using Switchboard.Config;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Where one Bedrock provider lives and how its requests are authorised, the AWS way: a Bedrock API key
/// (<c>apiKey</c>, or <c>AWS_BEARER_TOKEN_BEDROCK</c>) as a Bearer token; otherwise SigV4 with the credentials of
/// <c>profile</c> or of AWS's default chain (environment variables, the default profile…). Signing and the chain
/// are AWS's own code (AWSSDK.Core). No client header is ever copied onto these requests.
/// </summary>
internal sealed class BedrockEndpoint(string provider, ProviderConfig config, UpstreamClient upstream)
{
    public const string Service = "bedrock";
    private const string BearerEnvironment = "$AWS_BEARER_TOKEN_BEDROCK";

    private readonly BedrockProviderOptions _options = BedrockProviderOptions.Of(config);
    private AWSCredentials? _credentials;

    public string Provider => provider;
    public ProviderConfig Config => config;

    public string Region =>
        new[] { EnvExpander.ExpandOrNull(_options.Region), Environment.GetEnvironmentVariable("AWS_REGION"), Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") }
            .FirstOrDefault(region => !string.IsNullOrEmpty(region))
        ?? throw new AnthropicErrorException(AnthropicError.InvalidRequest(
            $"Provider '{provider}' has no AWS region: set region for it (e.g. \"us-east-1\") or AWS_REGION."));

    public string BaseUrl => EnvExpander.ExpandOrNull(config.BaseUrl)?.TrimEnd('/') ?? $"https://bedrock-runtime.{Region}.amazonaws.com";

    /// <summary>A request to <c>/model/{modelId}/{action}</c>, the model id escaped as one path segment.</summary>
    public HttpRequestMessage Request(string modelId, string action, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{BaseUrl}/model/{PathSegment.Escape(modelId)}/{action}")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
        };
        request.Headers.Accept.ParseAdd(action.EndsWith("stream", StringComparison.Ordinal) ? "application/vnd.amazon.eventstream" : "application/json");
        if (config.Headers is not null)
            foreach (var (name, value) in config.Headers) request.Headers.TryAddWithoutValidation(name, EnvExpander.Expand(value));
        return request;
    }

    /// <summary>Authorises (Bearer or SigV4, after every other header is set), then sends.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, byte[] body, CancellationToken cancellationToken)
    {
        if (EnvExpander.ExpandOrNull(config.ApiKey ?? (_options.Profile is null ? BearerEnvironment : null)) is { Length: > 0 } apiKey)
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
        else
            await SignAsync(request, body, cancellationToken).ConfigureAwait(false);
        return await upstream.SendAsync(provider, request, config.Timeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task SignAsync(HttpRequestMessage request, byte[] body, CancellationToken cancellationToken)
    {
        var signing = new AWSSigningRequest
        {
            HttpMethod = request.Method,
            RequestUri = request.RequestUri,
            Content = body,
        };
        signing.Headers["content-type"] = "application/json";
        var parameters = new AWSSigV4Parameters
        {
            Credentials = Credentials(),
            Region = RegionEndpoint.GetBySystemName(Region),
            Service = Service,
            SignPayload = true,
        };
        var signed = await AWSSigV4Signer.SignAsync(signing, parameters, cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in signed.Headers)
        {
            // The HTTP client writes Host and Content-Type itself, from the same values that were signed.
            if (name.Equals("host", StringComparison.OrdinalIgnoreCase) || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)) continue;
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private AWSCredentials Credentials()
    {
        if (_credentials is not null) return _credentials;
        if (_options.Profile is { } profile)
        {
            if (!new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile))
                throw new AnthropicErrorException(AnthropicError.Authentication(
                    $"Provider '{provider}': AWS profile '{profile}' was not found in ~/.aws/credentials or ~/.aws/config " +
                    "(or the files AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE name)."));
            return _credentials = fromProfile;
        }
        try
        {
            return _credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        }
        catch (AmazonClientException ex)
        {
            throw new AnthropicErrorException(AnthropicError.Authentication(
                $"Provider '{provider}' has no AWS credentials: set profile for it, export AWS_ACCESS_KEY_ID and " +
                $"AWS_SECRET_ACCESS_KEY, or set apiKey to a Bedrock API key. ({ex.Message})"), ex);
        }
    }
}
