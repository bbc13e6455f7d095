using System.Net;
using System.Text.Json;
using Shouldly;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// Plays Claude Code's side of the gateway sign-in over real HTTP (discovery, device authorization, token polls,
/// refresh, revocation) and a person's side of the verification page (its form, as a browser posts it). Tests that
/// need a token call <see cref="SignInAsync"/>; conformance tests call the steps one by one.
/// </summary>
internal sealed class SignInClient(HttpClient client)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public sealed record Device(string DeviceCode, string UserCode, string VerificationUri, string VerificationUriComplete, int ExpiresIn, int Interval);

    public sealed record Tokens(string AccessToken, string RefreshToken, int ExpiresIn, string? Email);

    public async Task<Device> StartAsync(params (string Name, string Value)[] form)
    {
        using var response = await PostFormAsync("/oauth/device_authorization", form.Length == 0 ? [("surface", "claude_code")] : form);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        return new Device(root.GetProperty("device_code").GetString()!, root.GetProperty("user_code").GetString()!,
            root.GetProperty("verification_uri").GetString()!, root.GetProperty("verification_uri_complete").GetString()!,
            root.GetProperty("expires_in").GetInt32(), root.GetProperty("interval").GetInt32());
    }

    /// <summary>One poll: the status and the parsed body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PollAsync(string deviceCode) =>
        await TokenAsync(("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", deviceCode));

    public Task<(HttpStatusCode Status, JsonElement Body)> RefreshAsync(string refreshToken) =>
        TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refreshToken));

    public async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(params (string Name, string Value)[] form)
    {
        using var response = await PostFormAsync("/oauth/token", form);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.Headers.CacheControl?.NoStore.ShouldBeTrue("token answers are never cached");
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The verification page's form as a person submits it; the page's status and HTML.</summary>
    public async Task<(HttpStatusCode Status, string Html)> DecideAsync(string userCode, string email, string password, string decision = "approve")
    {
        using var response = await PostFormAsync("/device", [("user_code", userCode), ("email", email), ("password", password), ("decision", decision)],
            sameOrigin: true);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Cancel));
    }

    public async Task<HttpStatusCode> RevokeAsync(string token, string? hint = null)
    {
        using var response = await PostFormAsync("/oauth/revoke", hint is null ? [("token", token)] : [("token", token), ("token_type_hint", hint)]);
        return response.StatusCode;
    }

    /// <summary>The whole device flow: start, approve on the page, poll once; the tokens.</summary>
    public async Task<Tokens> SignInAsync(string email, string password)
    {
        var device = await StartAsync();
        var (status, html) = await DecideAsync(device.UserCode, email, password);
        status.ShouldBe(HttpStatusCode.OK, html);
        var (polled, body) = await PollAsync(device.DeviceCode);
        polled.ShouldBe(HttpStatusCode.OK, body.ToString());
        return ReadTokens(body);
    }

    public static Tokens ReadTokens(JsonElement body) => new(body.GetProperty("access_token").GetString()!,
        body.GetProperty("refresh_token").GetString()!, body.GetProperty("expires_in").GetInt32(),
        body.TryGetProperty("email", out var email) ? email.GetString() : null);

    public async Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<(string Name, string Value)> form, bool sameOrigin = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(form.Select(field => KeyValuePair.Create(field.Name, field.Value))),
        };
        request.Headers.UserAgent.ParseAdd("claude-code/2.1.332");
        // A browser posting the page's own form says where it comes from: the page's origin.
        if (sameOrigin) request.Headers.Add("Origin", client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        return await client.SendAsync(request, Cancel);
    }
}
