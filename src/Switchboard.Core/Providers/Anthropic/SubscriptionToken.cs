using System.Text.Json;
using System.Text.Json.Serialization;
using Switchboard.Anthropic;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Discovery mode's credential swap, as openclaude (@aliildan/openclaude) does it. Claude Code runs with a sentinel bearer token so that it asks the
/// router for its model list; on Anthropic-bound requests the sentinel is replaced by the subscription's live OAuth
/// token, read on every request from where Claude Code keeps it: on macOS the login keychain (<see cref="MacKeychain"/>),
/// elsewhere (and on macOS when the keychain has none) its <c>.credentials.json</c> (in <c>$CLAUDE_CONFIG_DIR</c>, else
/// <c>~/.claude</c>), so a token Claude Code rotated is picked up at once. Neither ever reaches another provider: only
/// the Anthropic pass-through forwards client credentials at all.
/// <para>A stored login expires within hours and only Claude Code refreshes it, which it does not do while it holds the
/// sentinel. A token made by <c>claude setup-token</c> lasts a year; Claude Code reads it from
/// <see cref="EnvironmentVariable"/> ahead of its stored login, and so does the router, from its own environment.
/// The router never refreshes a stored login itself: the refresh token rotates, and two programs refreshing the same
/// login could log Claude Code out.</para>
/// </summary>
public sealed class SubscriptionToken(string claudeConfigDirectory, TimeProvider time, MacKeychain? keychain = null,
    string? environmentToken = null)
{
    public const string Sentinel = "switchboard-discovery-sentinel";
    public const string OAuthBeta = "oauth-2025-04-20";

    /// <summary>Where Claude Code takes a <c>claude setup-token</c> token from.</summary>
    public const string EnvironmentVariable = "CLAUDE_CODE_OAUTH_TOKEN";

    public static string? EnvironmentToken => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } token ? token : null;

    private (DateTime Written, long Length, Credentials Value)? _cached;

    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".claude");

    public string File => Path.Combine(claudeConfigDirectory, ".credentials.json");

    /// <summary>Where Claude Code keeps its login on this machine (the keychain on macOS).</summary>
    public static SubscriptionToken ForThisMachine(TimeProvider time) =>
        new(DefaultDirectory, time, MacKeychain.ForThisMachine(time), EnvironmentToken);

    /// <summary>Whether there is a subscription login at all (an API-key user has none).</summary>
    public bool HasLogin => UsesEnvironmentToken || keychain?.Read() is not null || System.IO.File.Exists(File);

    /// <summary>Whether the swap uses <see cref="EnvironmentVariable"/> rather than the stored login.</summary>
    public bool UsesEnvironmentToken => !string.IsNullOrEmpty(environmentToken);

    private string Where => keychain is null ? File : $"the macOS keychain (\"{keychain.Service}\") or {File}";

    public static bool IsSentinel(string authorization) =>
        authorization.Equals("Bearer " + Sentinel, StringComparison.Ordinal);

    /// <summary>The live access token; a clear 401 when there is none or it has expired.</summary>
    public string AccessToken()
    {
        if (UsesEnvironmentToken) return environmentToken!;
        var (credentials, source) = StoredCredentials();
        var oauth = credentials.ClaudeAiOauth;
        if (oauth?.AccessToken is not { Length: > 0 } token)
            throw Refused($"{source} holds no subscription login (claudeAiOauth.accessToken). Run `claude` and log in with your subscription.");
        if (oauth.ExpiresAt is { } expiresAt && DateTimeOffset.FromUnixTimeMilliseconds(expiresAt) <= time.GetUtcNow())
        {
            // Claude Code may have refreshed it since the keychain was last asked: ask again next time, not in 30 s.
            keychain?.Forget();
            throw Refused($"Your Claude subscription token expired at {DateTimeOffset.FromUnixTimeMilliseconds(expiresAt):u}. " +
                          "Run `claude` once (it refreshes the token), then try again. For long sessions, make a year-long token " +
                          $"with `claude setup-token` and restart the router with {EnvironmentVariable} set to it.");
        }
        return token;
    }

    private (Credentials Value, string Source) StoredCredentials()
    {
        if (keychain?.Read() is { } stored)
            return (Parse(stored, $"the macOS keychain item \"{keychain.Service}\""), $"the macOS keychain item \"{keychain.Service}\"");
        var file = new FileInfo(File);
        if (!file.Exists)
            throw Refused($"Discovery mode uses your Claude subscription, but there is no login in {Where}. Run `claude` once and log in, " +
                          "or start with `switchboard code --no-discovery`.");
        if (_cached is { } cached && cached.Written == file.LastWriteTimeUtc && cached.Length == file.Length) return (cached.Value, File);
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(file.FullName);
        }
        catch (IOException ex)
        {
            throw Refused($"{File} could not be read ({ex.Message}). Run `claude` and log in again.");
        }
        var value = Parse(bytes, File);
        _cached = (file.LastWriteTimeUtc, file.Length, value);
        return (value, File);
    }

    private static Credentials Parse(byte[] json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SubscriptionJson.Default.Credentials) ?? new Credentials();
        }
        catch (JsonException ex)
        {
            throw Refused($"{source} could not be read ({ex.Message}). Run `claude` and log in again.");
        }
    }

    private static AnthropicErrorException Refused(string message) => new(AnthropicError.Authentication(message));
}

internal sealed class Credentials
{
    public OAuthCredentials? ClaudeAiOauth { get; set; }
}

internal sealed class OAuthCredentials
{
    public string? AccessToken { get; set; }

    /// <summary>Milliseconds since the epoch.</summary>
    public long? ExpiresAt { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Credentials))]
internal sealed partial class SubscriptionJson : JsonSerializerContext;
