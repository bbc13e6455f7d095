using System.Net;
using System.Text.Json;

namespace Switchboard.Cli.Gateway;

/// <summary>
/// The client side of a gateway's sign-in, as Claude Code runs it (gateway protocol, "Flow"): discovery, the device
/// flow with its polling rules (wait <c>interval</c>, five seconds more on <c>slow_down</c>, stop on
/// <c>access_denied</c> or <c>expired_token</c>), the refresh grant and revocation. Endpoints come from the discovery
/// document only when they are absolute and on the gateway's own origin, as Claude Code uses them; otherwise the
/// default paths. Plain HTTP is accepted for loopback only.
/// </summary>
internal sealed class GatewaySignInClient(HttpClient http, Uri gateway, TimeProvider time)
{
    public const string Surface = "switchboard_cli";

    public sealed record Endpoints(Uri DeviceAuthorization, Uri Token, Uri? Revocation);

    public sealed record DeviceStart(string DeviceCode, string UserCode, string VerificationUri, string? VerificationUriComplete, int ExpiresIn, int Interval);

    /// <summary>Why a gateway URL cannot be signed in to, or null.</summary>
    public static string? Problem(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback) ? null
        : $"{url} is not https: a gateway is reached over https (plain http only on this machine's loopback).";

    public async Task<Endpoints> DiscoverAsync(CancellationToken cancellationToken)
    {
        Uri? device = null, token = null, revoke = null;
        using var response = await http.GetAsync(new Uri(gateway, "/.well-known/oauth-authorization-server"), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            device = SameOrigin(json.RootElement, "device_authorization_endpoint");
            token = SameOrigin(json.RootElement, "token_endpoint");
            revoke = SameOrigin(json.RootElement, "revocation_endpoint");
        }
        return new Endpoints(device ?? new Uri(gateway, "/oauth/device_authorization"), token ?? new Uri(gateway, "/oauth/token"), revoke);
    }

    public async Task<DeviceStart> StartAsync(Endpoints endpoints, CancellationToken cancellationToken)
    {
        using var response = await PostFormAsync(endpoints.DeviceAuthorization, [("surface", Surface)], cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new GatewaySignInException($"The gateway refused to start a sign-in ({(int)response.StatusCode}): {Describe(body)}");
        var root = body.RootElement;
        return new DeviceStart(root.GetProperty("device_code").GetString()!, root.GetProperty("user_code").GetString()!,
            root.GetProperty("verification_uri").GetString()!, root.TryGetProperty("verification_uri_complete", out var complete) ? complete.GetString() : null,
            root.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 600,
            root.TryGetProperty("interval", out var interval) ? interval.GetInt32() : 5);
    }

    /// <summary>Polls until the code is approved (the credential), denied or expired (an exception saying so).</summary>
    public async Task<GatewayCredential> PollAsync(Endpoints endpoints, DeviceStart device, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(device.Interval, 1));
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(device.ExpiresIn);
        while (time.GetUtcNow() < deadline)
        {
            await Task.Delay(interval, time, cancellationToken);
            using var response = await PostFormAsync(endpoints.Token,
                [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", device.DeviceCode)], cancellationToken);
            using var body = await ReadAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK) return Credential(body.RootElement);
            switch (ErrorOf(body))
            {
                case "authorization_pending": continue;
                case "slow_down": interval += TimeSpan.FromSeconds(5); continue;
                case "access_denied": throw new GatewaySignInException("The sign-in was denied in the browser.");
                case "expired_token": throw new GatewaySignInException("The code expired before it was approved: run switchboard login again.");
                default: throw new GatewaySignInException($"The gateway refused the sign-in ({(int)response.StatusCode}): {Describe(body)}");
            }
        }
        throw new GatewaySignInException("The code expired before it was approved: run switchboard login again.");
    }

    /// <summary>A renewed credential, or null when the gateway says to sign in again (<c>invalid_grant</c>).</summary>
    public async Task<GatewayCredential?> RefreshAsync(Endpoints endpoints, string refreshToken, CancellationToken cancellationToken)
    {
        using var response = await PostFormAsync(endpoints.Token, [("grant_type", "refresh_token"), ("refresh_token", refreshToken)], cancellationToken);
        using var body = await ReadAsync(response, cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK) return Credential(body.RootElement);
        if (ErrorOf(body) == "invalid_grant") return null;
        throw new GatewaySignInException($"The gateway did not renew the sign-in ({(int)response.StatusCode}): {Describe(body)}");
    }

    /// <summary>Best effort, as Claude Code does it: the bearer, then the refresh token; an unreachable gateway is not an error.</summary>
    public async Task<bool> RevokeAsync(Endpoints endpoints, GatewayCredential credential, CancellationToken cancellationToken)
    {
        if (endpoints.Revocation is not { } revoke) return false;
        using (var bearer = await PostFormAsync(revoke, [("token", credential.AccessToken)], cancellationToken)) { }
        if (credential.RefreshToken is { } refresh)
            using (var refreshed = await PostFormAsync(revoke, [("token", refresh), ("token_type_hint", "refresh_token")], cancellationToken)) { }
        return true;
    }

    private GatewayCredential Credential(JsonElement root)
    {
        var now = time.GetUtcNow();
        var lifetime = root.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 3600;
        return new GatewayCredential(gateway.GetLeftPart(UriPartial.Authority), root.GetProperty("access_token").GetString()!,
            root.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null, now, now + TimeSpan.FromSeconds(lifetime),
            root.TryGetProperty("email", out var email) && email.GetString() is { Length: > 0 } shown ? shown : null);
    }

    private Uri? SameOrigin(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var url)
        && string.Equals(url.GetLeftPart(UriPartial.Authority), gateway.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            ? url : null;

    private async Task<HttpResponseMessage> PostFormAsync(Uri url, IEnumerable<(string, string)> form, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(form.Select(field => KeyValuePair.Create(field.Item1, field.Item2)));
        return await http.PostAsync(url, content, cancellationToken);
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try { return JsonDocument.Parse(text.Length == 0 ? "{}" : text); }
        catch (JsonException) { return JsonDocument.Parse("{}"); }
    }

    private static string? ErrorOf(JsonDocument body) =>
        body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
            ? error.GetString() : null;

    private static string Describe(JsonDocument body) =>
        body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("error_description", out var text) ? text.GetString() ?? ""
        : ErrorOf(body) ?? "no explanation given";
}

internal sealed class GatewaySignInException(string message) : Exception(message);
