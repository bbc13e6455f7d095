using Switchboard.Anthropic;
using Switchboard.Config;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Which client headers go up to an Anthropic-format upstream. Everything end-to-end is forwarded verbatim (a
/// subscription needs its OAuth bearer and the <c>anthropic-beta</c> list exactly as sent, or it answers 401);
/// hop-by-hop headers and those the HTTP client owns are not.
/// </summary>
internal static class AnthropicHeaders
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        // Hop-by-hop (RFC 9110 §7.6.1) and their common non-standard cousins.
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
        "transfer-encoding", "upgrade",
        // Set by the HTTP client for the upstream connection and body.
        "host", "content-length", "content-type",
        // Bytes are relayed as they come: ask for them uncompressed.
        "accept-encoding",
    };

    private static readonly string[] Credentials = ["x-api-key", "authorization"];

    public const string Version = "anthropic-version";
    public const string DefaultVersion = "2023-06-01";

    /// <summary>Whether a request built by <see cref="Apply"/> would carry any credential at all.</summary>
    public static bool HasCredential(
        IReadOnlyList<KeyValuePair<string, string>> clientHeaders, ProviderConfig config, CredentialPolicy policy) =>
        !string.IsNullOrEmpty(EnvExpander.ExpandOrNull(config.ApiKey)) ||
        (policy == CredentialPolicy.ClientOrOwnKey && clientHeaders.Any(header => IsCredential(header.Key) && header.Value.Length > 0));

    public static void Apply(
        IReadOnlyList<KeyValuePair<string, string>> clientHeaders, HttpRequestMessage request, ProviderConfig config,
        CredentialPolicy policy, SubscriptionToken? subscription = null)
    {
        var ownKey = EnvExpander.ExpandOrNull(config.ApiKey);
        var hasOwnKey = !string.IsNullOrEmpty(ownKey);
        var dropClientCredentials = hasOwnKey || policy == CredentialPolicy.OwnKeyAsBearer;
        var swapped = false;

        foreach (var (name, value) in clientHeaders)
        {
            if (NotForwarded.Contains(name)) continue;
            if (dropClientCredentials && IsCredential(name)) continue;
            if (name.Equals("authorization", StringComparison.OrdinalIgnoreCase) && SubscriptionToken.IsSentinel(value))
            {
                // Discovery mode with an API key instead of a subscription login: the key goes up, the sentinel nowhere.
                if (subscription?.HasLogin != true && clientHeaders.Any(h => h.Key.Equals("x-api-key", StringComparison.OrdinalIgnoreCase)))
                    continue;
                // Discovery mode: the subscription's own token goes up in place of the sentinel.
                var token = (subscription ?? throw new AnthropicErrorException(AnthropicError.Authentication(
                    "Discovery mode's sentinel token reached a provider that cannot swap it for your subscription."))).AccessToken();
                request.Headers.TryAddWithoutValidation("authorization", "Bearer " + token);
                swapped = true;
                continue;
            }
            request.Headers.TryAddWithoutValidation(name, value);
        }
        if (swapped && !(request.Headers.TryGetValues("anthropic-beta", out var betas) && betas.Any(b => b.Contains(SubscriptionToken.OAuthBeta, StringComparison.Ordinal))))
            request.Headers.TryAddWithoutValidation("anthropic-beta", SubscriptionToken.OAuthBeta);

        if (hasOwnKey)
        {
            if (policy == CredentialPolicy.OwnKeyAsBearer) request.Headers.TryAddWithoutValidation("authorization", "Bearer " + ownKey);
            else request.Headers.TryAddWithoutValidation("x-api-key", ownKey);
        }
        if (config.Headers is null) return;
        foreach (var (name, value) in config.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, EnvExpander.Expand(value));
        }
    }

    private static bool IsCredential(string name) =>
        Credentials.Any(credential => credential.Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Whose credentials an Anthropic-format upstream gets.</summary>
internal enum CredentialPolicy
{
    /// <summary>Anthropic itself: the client's own (API key or subscription OAuth), or the provider's key as x-api-key.</summary>
    ClientOrOwnKey,

    /// <summary>Someone else's Anthropic-compatible endpoint (Ollama): never the client's; the provider's key as Bearer.</summary>
    OwnKeyAsBearer,
}
