using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using Shouldly;
using Switchboard.Team;
using Switchboard.Tests.Infrastructure;
using Switchboard.Tests.Infrastructure.Engines;
using Switchboard.Tests.Team;
using static Switchboard.Tests.Infrastructure.AnthropicWire;
using static Switchboard.Tests.Team.TeamPostgres;
using static Switchboard.Tests.Gateway.GatewayAssertions;

namespace Switchboard.Tests.Gateway;

/// <summary>
/// Issue 18, items 1–3: the sign-in half of Claude Code's gateway protocol, endpoint by endpoint and status by status
/// as the contract's tables give them (discovery, device authorization, the token endpoint's device and refresh
/// grants, revocation), the verification page with a local password, and the bearer token on the Messages path.
/// Real replicas on real PostgreSQL and Redis, over HTTP.
/// </summary>
[Collection(TeamPostgres.Name)]
public sealed partial class GatewaySignInTests(PostgresServer postgres, RedisServer redis) : IClassFixture<RedisServer>
{
    internal const string GatewayKey = "gateway-own-anthropic-key";
    internal const string Email = "ada@example.com";
    internal const string Password = "correct horse battery staple";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Discovery_IsRfc8414Metadata_OnTheOriginTheClientUsed_WithNoAuthorizationEndpoint()
    {
        await using var gateway = await GatewayAsync();

        using var response = await gateway.Replica.Client.GetAsync("/.well-known/oauth-authorization-server", Cancel);
        var body = await response.ShouldBeJsonAsync(HttpStatusCode.OK);

        var origin = gateway.Replica.Address.GetLeftPart(UriPartial.Authority);
        body.GetProperty("issuer").GetString().ShouldBe(origin);
        body.GetProperty("device_authorization_endpoint").GetString().ShouldBe($"{origin}/oauth/device_authorization");
        body.GetProperty("token_endpoint").GetString().ShouldBe($"{origin}/oauth/token");
        body.GetProperty("revocation_endpoint").GetString().ShouldBe($"{origin}/oauth/revoke");
        body.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString())
            .ShouldBe(["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"]);
        body.TryGetProperty("authorization_endpoint", out _).ShouldBeFalse("the contract says it is intentionally absent");
    }

    [Fact]
    public async Task DeviceAuthorization_GivesA256BitCode_AndABase20UserCode_RecordsTheSurface_AndIgnoresUnknownParameters()
    {
        await using var gateway = await GatewayAsync();
        var signIn = new SignInClient(gateway.Replica.Client);

        var device = await signIn.StartAsync(("surface", "claude_code"), ("some_future_parameter", "1"), ("scope", "whatever"));
        var bare = await signIn.StartAsync(("", ""));

        device.DeviceCode.Length.ShouldBeGreaterThanOrEqualTo("sbd-".Length + 43, "32 random bytes in base64url are 43 characters");
        device.DeviceCode.ShouldNotBe(bare.DeviceCode);
        UserCodeShape().IsMatch(device.UserCode).ShouldBeTrue(device.UserCode);
        device.ExpiresIn.ShouldBe(600);
        device.Interval.ShouldBe(5);
        var origin = gateway.Replica.Address.GetLeftPart(UriPartial.Authority);
        device.VerificationUri.ShouldBe($"{origin}/device");
        device.VerificationUriComplete.ShouldBe($"{origin}/device?user_code={device.UserCode}");
        (await ScalarAsync<string>(gateway.Database, "SELECT surface FROM device_codes WHERE user_code = $1", device.UserCode.Replace("-", ""))).ShouldBe("claude_code");
        (await ScalarAsync<long>(gateway.Database, "SELECT count(*) FROM device_codes WHERE device_code_hash = sha256(convert_to($1, 'UTF8'))", device.DeviceCode))
            .ShouldBe(1L, "the device code is stored as its SHA-256 only");
        (await ScalarAsync<long>(gateway.Database, "SELECT count(*) FROM device_codes WHERE position($1 in coalesce(surface, '') || user_agent) > 0", device.DeviceCode))
            .ShouldBe(0L);
    }

    [Fact]
    public async Task DeviceGrant_IsPending_ThenSlowDownWhenPolledTooFast_ThenATokenOnceApproved_AndTheCodeWorksOnce()
    {
        await using var gateway = await GatewayAsync();
        var signIn = new SignInClient(gateway.Replica.Client);
        var device = await signIn.StartAsync();

        var (first, pending) = await signIn.PollAsync(device.DeviceCode);
        var (second, tooFast) = await signIn.PollAsync(device.DeviceCode);
        first.ShouldBe(HttpStatusCode.BadRequest);
        pending.GetProperty("error").GetString().ShouldBe("authorization_pending");
        second.ShouldBe(HttpStatusCode.BadRequest);
        tooFast.GetProperty("error").GetString().ShouldBe("slow_down");
        (await ScalarAsync<int>(gateway.Database, "SELECT interval_seconds FROM device_codes")).ShouldBe(10, "RFC 8628 §3.5: the interval grows by 5 s");

        var (approved, page) = await signIn.DecideAsync(device.UserCode, Email, Password);
        approved.ShouldBe(HttpStatusCode.OK, page);
        page.ShouldContain($"Signed in as {Email}");
        // Polled as a client does, after its interval: the test moves the last poll back instead of waiting.
        await ExecuteAsync(gateway.Database, "UPDATE device_codes SET last_polled_at = last_polled_at - interval '1 minute'");
        var (granted, tokens) = await signIn.PollAsync(device.DeviceCode);
        var (again, used) = await signIn.PollAsync(device.DeviceCode);

        granted.ShouldBe(HttpStatusCode.OK, tokens.ToString());
        tokens.GetProperty("token_type").GetString().ShouldBe("Bearer");
        tokens.GetProperty("expires_in").GetInt32().ShouldBe(3600);
        tokens.GetProperty("email").GetString().ShouldBe(Email);
        tokens.GetProperty("refresh_token").GetString()!.ShouldStartWith("sbr-");
        tokens.GetProperty("access_token").GetString()!.Split('.').Length.ShouldBe(3, "a JWT");
        again.ShouldBe(HttpStatusCode.BadRequest);
        used.GetProperty("error").GetString().ShouldBe("invalid_grant", "a device code is single-use");
        (await AuditAsync(gateway.Database, "sign_in")).ShouldContain(row => row.Contains("\"outcome\": \"approved\"") && row.Contains("\"method\": \"password\""));
    }

    [Fact]
    public async Task DeviceGrant_Denied_IsAccessDenied_Expired_IsExpiredToken_UnknownGrants_AreNamed()
    {
        await using var gateway = await GatewayAsync();
        var signIn = new SignInClient(gateway.Replica.Client);
        var denied = await signIn.StartAsync();
        var expired = await signIn.StartAsync();

        (await signIn.DecideAsync(denied.UserCode, Email, Password, decision: "deny")).Status.ShouldBe(HttpStatusCode.OK);
        // expired by the server's clock (the fake one), not the database's: the two are seconds apart on a slow machine
        await ExecuteAsync(gateway.Database, "UPDATE device_codes SET expires_at = $2 WHERE user_code = $1", expired.UserCode.Replace("-", ""),
            gateway.Time.GetUtcNow().AddSeconds(-1));

        (await signIn.PollAsync(denied.DeviceCode)).Body.GetProperty("error").GetString().ShouldBe("access_denied");
        (await signIn.PollAsync(expired.DeviceCode)).Body.GetProperty("error").GetString().ShouldBe("expired_token");
        (await signIn.PollAsync("sbd-never-issued")).Body.GetProperty("error").GetString().ShouldBe("invalid_grant");
        var (status, unsupported) = await signIn.TokenAsync(("grant_type", "password"), ("username", "x"));
        status.ShouldBe(HttpStatusCode.BadRequest);
        unsupported.GetProperty("error").GetString().ShouldBe("unsupported_grant_type");
        unsupported.GetProperty("error_description").GetString()!.ShouldContain("refresh_token");
    }

    [Fact]
    public async Task VerificationPage_FillsTheCodeButNeverSubmitsIt_RefusesAWrongPassword_AndAnotherSitesForm()
    {
        await using var gateway = await GatewayAsync();
        var signIn = new SignInClient(gateway.Replica.Client);
        var device = await signIn.StartAsync();

        var page = await gateway.Replica.Client.GetStringAsync(new Uri(device.VerificationUriComplete).PathAndQuery, Cancel);
        var (wrong, refusal) = await signIn.DecideAsync(device.UserCode, Email, "not the password at all");
        var (unknown, _) = await signIn.DecideAsync(device.UserCode, "nobody@example.com", Password);
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/device")
        {
            Content = new FormUrlEncodedContent([new("user_code", device.UserCode), new("email", Email), new("password", Password)]),
        };
        crossSite.Headers.Add("Origin", "https://evil.example");
        using var fromElsewhere = await gateway.Replica.Client.SendAsync(crossSite, Cancel);

        page.ShouldContain($"value=\"{device.UserCode}\"");
        page.ShouldNotContain("<script", Case.Insensitive, "nothing may submit the code by itself (RFC 8628 §5.4)");
        wrong.ShouldBe(HttpStatusCode.Unauthorized);
        refusal.ShouldContain("Wrong email or password");
        unknown.ShouldBe(HttpStatusCode.Unauthorized);
        fromElsewhere.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await signIn.PollAsync(device.DeviceCode)).Body.GetProperty("error").GetString().ShouldBe("authorization_pending", "nothing approved it");
        (await AuditAsync(gateway.Database, "sign_in")).Count(row => row.Contains("wrong_password")).ShouldBe(2);
    }

    [Fact]
    public async Task VerificationPage_RateLimitsEachAddress_BeforeCheckingAnything()
    {
        // A Redis of its own: the count is per address, and every test here comes from 127.0.0.1.
        await using var ownRedis = new RedisServer();
        await ownRedis.InitializeAsync();
        await using var gateway = await GatewayUnderTest.StartAsync(postgres, ownRedis, signInAttemptsPerMinute: 10);
        var signIn = new SignInClient(gateway.Replica.Client);

        // Twice the limit and one: however the minute's window falls, one window holds more than the limit.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * 10 + 1; i++)
            statuses.Add((await signIn.DecideAsync("BCDF-GHJK", Email, "wrong")).Status);

        statuses.ShouldContain(HttpStatusCode.TooManyRequests);
        statuses.Take(10).ShouldAllBe(status => status == HttpStatusCode.BadRequest || status == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task BearerToken_CarriesMessages_WithTheGatewaysCredentials_AndWorksOnEveryReplica()
    {
        await using var gateway = await GatewayAsync();
        await using var second = await RunningSwitchboard.StartAsync(gateway.Config);
        var tokens = await new SignInClient(gateway.Replica.Client).SignInAsync(Email, Password);

        (await SendAsync(gateway.Replica, tokens.AccessToken)).Status.ShouldBe(HttpStatusCode.OK);
        (await SendAsync(second, tokens.AccessToken)).Status.ShouldBe(HttpStatusCode.OK, "the signing key is shared in PostgreSQL");

        gateway.Upstream.Requests.Count.ShouldBe(2);
        foreach (var sent in gateway.Upstream.Requests)
        {
            sent.Header("x-api-key").ShouldBe(GatewayKey);
            sent.Header("authorization").ShouldBeNull("the bearer never reaches a provider");
        }
    }

    [Fact]
    public async Task RefreshGrant_Rotates_AndAReplayedRefreshToken_EndsTheSessionEverywhere()
    {
        await using var gateway = await GatewayAsync();
        var signIn = new SignInClient(gateway.Replica.Client);
        var first = await signIn.SignInAsync(Email, Password);

        var (rotated, fresh) = await signIn.RefreshAsync(first.RefreshToken);
        rotated.ShouldBe(HttpStatusCode.OK, fresh.ToString());
        var second = SignInClient.ReadTokens(fresh);
        second.RefreshToken.ShouldNotBe(first.RefreshToken);
        second.AccessToken.ShouldNotBe(first.AccessToken);
        (await SendAsync(gateway.Replica, second.AccessToken)).Status.ShouldBe(HttpStatusCode.OK);

        var (replayed, refused) = await signIn.RefreshAsync(first.RefreshToken);
        replayed.ShouldBe(HttpStatusCode.Unauthorized);
        refused.GetProperty("error").GetString().ShouldBe("invalid_grant");
        var (afterReplay, _) = await signIn.RefreshAsync(second.RefreshToken);
        afterReplay.ShouldBe(HttpStatusCode.Unauthorized, "the replay revoked the whole session, the newest refresh token too");
        var (status, retry, message) = await SendAsync(gateway.Replica, second.AccessToken);
        status.ShouldBe(HttpStatusCode.Unauthorized);
        retry.ShouldBe("false");
        message.ShouldContain("signed out");
    }

    [Fact]
    public async Task Revocation_OfTheBearer_OnOneReplica_EndsItOnAnother_AtOnce_AndItsRefreshToken()
    {
        await using var gateway = await GatewayAsync(keyCacheSeconds: 3600);
        await using var second = await RunningSwitchboard.StartAsync(gateway.Config);
        var signIn = new SignInClient(gateway.Replica.Client);
        var tokens = await signIn.SignInAsync(Email, Password);
        (await SendAsync(second, tokens.AccessToken)).Status.ShouldBe(HttpStatusCode.OK, "the second replica now holds the session for an hour");

        (await signIn.RevokeAsync(tokens.AccessToken)).ShouldBe(HttpStatusCode.OK);
        (await signIn.RevokeAsync(tokens.RefreshToken, "refresh_token")).ShouldBe(HttpStatusCode.OK, "revoking twice is fine");
        (await signIn.RevokeAsync("sbr-nothing-like-it")).ShouldBe(HttpStatusCode.OK, "RFC 7009 §2.2: an unknown token is a 200 too");

        var refused = await Eventually.WaitAsync(() => SendAsync(second, tokens.AccessToken), sent => sent.Status == HttpStatusCode.Unauthorized,
            sent => $"the other replica to refuse the revoked token (got {sent.Status})", TimeSpan.FromSeconds(10));
        refused.Retry.ShouldBe("false", "without it Claude Code retries for minutes before it asks to sign in again");
        (await signIn.RefreshAsync(tokens.RefreshToken)).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task DisabledUser_IsRefusedAtOnce_AndCannotRefresh()
    {
        await using var gateway = await GatewayAsync(keyCacheSeconds: 3600);
        var signIn = new SignInClient(gateway.Replica.Client);
        var tokens = await signIn.SignInAsync(Email, Password);
        (await SendAsync(gateway.Replica, tokens.AccessToken)).Status.ShouldBe(HttpStatusCode.OK);

        await new TeamUsers(gateway.Database).DisableAsync(gateway.UserId, "test", Cancel);
        await gateway.Replica.Server.Team!.Invalidation.PublishAsync(gateway.UserId);

        var (status, retry, message) = await SendAsync(gateway.Replica, tokens.AccessToken);
        status.ShouldBe(HttpStatusCode.Unauthorized);
        retry.ShouldBe("false");
        message.ShouldContain("disabled");
        (await signIn.RefreshAsync(tokens.RefreshToken)).Body.GetProperty("error").GetString().ShouldBe("invalid_grant");
    }

    [Fact]
    public async Task ATokenNotSignedByTheGateway_OrTamperedWith_OrExpired_IsRefused()
    {
        await using var gateway = await GatewayAsync();
        var tokens = await new SignInClient(gateway.Replica.Client).SignInAsync(Email, Password);
        var parts = tokens.AccessToken.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]));
        var widened = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload.Replace("\"groups\":[]", "\"groups\":[\"admins\"]")));
        using var foreign = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var signedElsewhere = $"{parts[0]}.{parts[1]}." + System.Buffers.Text.Base64Url.EncodeToString(foreign.SignData(
            System.Text.Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        payload.ShouldContain("\"groups\":[]");
        (await SendAsync(gateway.Replica, $"{parts[0]}.{widened}.{parts[2]}")).Message.ShouldContain("not issued by this gateway");
        (await SendAsync(gateway.Replica, signedElsewhere)).Message.ShouldContain("not issued by this gateway");
        (await SendAsync(gateway.Replica, tokens.AccessToken)).Status.ShouldBe(HttpStatusCode.OK, "the real one works");
    }

    [Fact]
    public async Task AnExpiredToken_IsRefusedWithoutRetry_SayingToSignInAgain()
    {
        await using var gateway = await GatewayAsync(accessTokenMinutes: 1);
        var time = gateway.Time;
        var tokens = await new SignInClient(gateway.Replica.Client).SignInAsync(Email, Password);
        tokens.ExpiresIn.ShouldBe(60);
        (await SendAsync(gateway.Replica, tokens.AccessToken)).Status.ShouldBe(HttpStatusCode.OK);

        time.Advance(TimeSpan.FromMinutes(2));

        var (status, retry, message) = await SendAsync(gateway.Replica, tokens.AccessToken);
        status.ShouldBe(HttpStatusCode.Unauthorized);
        retry.ShouldBe("false");
        message.ShouldContain("expired");
    }

    [Fact]
    public async Task Models_ForASignedInUser_ListOnlyWhatTheirGroupsMayUse()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(postgres, redis,
            providerExtra: ", \"models\": [\"claude-sonnet-4-5\", \"claude-opus-4-1\", \"claude-haiku-4-5\"]");
        var group = await new TeamGroups(gateway.Database).CreateAsync("writers", "test", Cancel);
        await new TeamGroups(gateway.Database).AddMemberAsync(group.Id, gateway.UserId, "test", Cancel);
        await ExecuteAsync(gateway.Database, "UPDATE groups SET allowed_models = '{claude-sonnet-*,claude-haiku-*}'");
        var tokens = await new SignInClient(gateway.Replica.Client).SignInAsync(Email, Password);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Authorization = new("Bearer", tokens.AccessToken);
        using var response = await gateway.Replica.Client.SendAsync(request, Cancel);
        var body = await response.ShouldBeJsonAsync(HttpStatusCode.OK);

        body.GetProperty("data").EnumerateArray().Select(model => model.GetProperty("id").GetString())
            .ShouldBe(["claude-sonnet-4-5", "claude-haiku-4-5"], ignoreOrder: true);
    }

    private Task<GatewayUnderTest> GatewayAsync(int keyCacheSeconds = 30, int accessTokenMinutes = 60) =>
        GatewayUnderTest.StartAsync(postgres, redis, keyCacheSeconds, accessTokenMinutes);

    [GeneratedRegex("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$")]
    private static partial Regex UserCodeShape();
}
