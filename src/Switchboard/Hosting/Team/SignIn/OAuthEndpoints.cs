using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Config;
using Switchboard.Team;

namespace Switchboard.Hosting.Team.SignIn;

/// <summary>
/// The sign-in half of Claude Code's gateway protocol: discovery (RFC 8414), device authorization (RFC 8628), the
/// token endpoint (device and refresh grants) and revocation (RFC 7009). All unauthenticated and form-encoded; unknown
/// parameters are ignored, as RFC 6749 §3.2 asks, and no <c>client_id</c> is required (Claude Code sends none). Every
/// state lives in PostgreSQL, so a client may ask one replica, poll another and refresh on a third.
/// </summary>
internal sealed partial class OAuthEndpoints(TeamServices team, TeamConfig config, TimeProvider time, ILogger logger)
{
    public const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";
    public const string RefreshGrant = "refresh_token";
    public const string DevicePath = "/device";

    private readonly DeviceCodes _codes = new(team.Database);
    private readonly GatewaySessions _sessions = new(team.Database);

    private TimeSpan AccessLifetime => TimeSpan.FromMinutes(config.AccessTokenMinutes);
    private TimeSpan RefreshLifetime => TimeSpan.FromDays(config.RefreshTokenDays);

    public void Map(WebApplication app)
    {
        app.MapGet("/.well-known/oauth-authorization-server", DiscoveryAsync).WithMetadata(PublicEndpoint.Instance);
        app.MapPost("/oauth/device_authorization", DeviceAuthorizationAsync).WithMetadata(PublicEndpoint.Instance, FormEndpoint.Instance);
        app.MapPost("/oauth/token", TokenAsync).WithMetadata(PublicEndpoint.Instance, FormEndpoint.Instance);
        app.MapPost("/oauth/revoke", RevokeAsync).WithMetadata(PublicEndpoint.Instance, FormEndpoint.Instance);
    }

    private Task DiscoveryAsync(HttpContext context)
    {
        var origin = OAuthReplies.OriginOf(context.Request, config.PublicUrl);
        context.Response.Headers.CacheControl = "max-age=300";
        return OAuthReplies.JsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteString("issuer", origin);
            json.WriteString("device_authorization_endpoint", $"{origin}/oauth/device_authorization");
            json.WriteString("token_endpoint", $"{origin}/oauth/token");
            json.WriteString("revocation_endpoint", $"{origin}/oauth/revoke");
            json.WriteStartArray("grant_types_supported");
            json.WriteStringValue(DeviceGrant);
            json.WriteStringValue(RefreshGrant);
            json.WriteEndArray();
            json.WriteStartArray("response_types_supported");
            json.WriteEndArray();
            json.WriteStartArray("token_endpoint_auth_methods_supported");
            json.WriteStringValue("none");
            json.WriteEndArray();
            json.WriteStartArray("revocation_endpoint_auth_methods_supported");
            json.WriteStringValue("none");
            json.WriteEndArray();
        });
    }

    private async Task DeviceAuthorizationAsync(HttpContext context)
    {
        var form = await OAuthReplies.FormAsync(context);
        var issued = await _codes.IssueAsync(form["surface"].FirstOrDefault(), context.Request.Headers.UserAgent.FirstOrDefault(),
            time.GetUtcNow(), context.RequestAborted);
        var page = $"{OAuthReplies.OriginOf(context.Request, config.PublicUrl)}{DevicePath}";
        var shown = UserCode.Display(issued.UserCode);
        await OAuthReplies.JsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteString("device_code", issued.DeviceCode);
            json.WriteString("user_code", shown);
            json.WriteString("verification_uri", page);
            json.WriteString("verification_uri_complete", $"{page}?user_code={shown}");
            json.WriteNumber("expires_in", issued.ExpiresIn);
            json.WriteNumber("interval", issued.Interval);
        });
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = await OAuthReplies.FormAsync(context);
        var grant = form["grant_type"].FirstOrDefault();
        switch (grant)
        {
            case DeviceGrant:
                await DeviceTokenAsync(context, form["device_code"].FirstOrDefault());
                break;
            case RefreshGrant:
                await RefreshTokenAsync(context, form["refresh_token"].FirstOrDefault());
                break;
            case null or "":
                await OAuthReplies.ErrorAsync(context, "invalid_request", $"grant_type is missing: send {DeviceGrant} or {RefreshGrant}.");
                break;
            default:
                await OAuthReplies.ErrorAsync(context, "unsupported_grant_type", $"This gateway grants {DeviceGrant} and {RefreshGrant}, not {grant}.");
                break;
        }
    }

    private async Task DeviceTokenAsync(HttpContext context, string? deviceCode)
    {
        if (string.IsNullOrEmpty(deviceCode))
        {
            await OAuthReplies.ErrorAsync(context, "invalid_request", "device_code is missing: send the device_code the device authorization gave.");
            return;
        }
        var now = time.GetUtcNow();
        var poll = await _codes.PollAsync(deviceCode, now, context.RequestAborted);
        switch (poll.Outcome)
        {
            case DeviceCodes.PollOutcome.Pending:
                await OAuthReplies.ErrorAsync(context, "authorization_pending", "Waiting for the code to be approved in the browser.");
                return;
            case DeviceCodes.PollOutcome.SlowDown:
                await OAuthReplies.ErrorAsync(context, "slow_down", "Polling faster than the interval: wait 5 seconds longer between polls.");
                return;
            case DeviceCodes.PollOutcome.Denied:
                await OAuthReplies.ErrorAsync(context, "access_denied", "The sign-in was denied in the browser.");
                return;
            case DeviceCodes.PollOutcome.Expired:
                await OAuthReplies.ErrorAsync(context, "expired_token", "The code expired before it was approved: start the sign-in again.");
                return;
            case DeviceCodes.PollOutcome.Unknown:
                await OAuthReplies.ErrorAsync(context, "invalid_grant", "This device code is not known or was already used: start the sign-in again.");
                return;
        }
        var opened = await _sessions.OpenAsync(poll.UserId!.Value, "device_code", poll.Surface, poll.UserAgent, RefreshLifetime, now, context.RequestAborted);
        LogSignedIn(logger, poll.UserId.Value, opened.SessionId, poll.Surface ?? "unnamed");
        await IssueAsync(context, opened.SessionId, opened.RefreshToken, now);
    }

    private async Task RefreshTokenAsync(HttpContext context, string? refreshToken)
    {
        if (string.IsNullOrEmpty(refreshToken))
        {
            await OAuthReplies.ErrorAsync(context, "invalid_request", "refresh_token is missing.");
            return;
        }
        var now = time.GetUtcNow();
        var refresh = await _sessions.RefreshAsync(refreshToken, RefreshLifetime, now, context.RequestAborted);
        if (refresh.Outcome == GatewaySessions.RefreshOutcome.Replayed)
        {
            // Whoever holds the session's tokens now, the session ends everywhere: both copies must sign in again.
            await team.Invalidation.PublishAsync(refresh.SessionId);
            LogRefreshReplayed(logger, refresh.UserId, refresh.SessionId);
        }
        if (refresh.Outcome != GatewaySessions.RefreshOutcome.Rotated)
        {
            await OAuthReplies.ErrorAsync(context, "invalid_grant",
                "This sign-in can no longer be refreshed (signed out, expired, replaced, or the account is disabled): sign in again.",
                StatusCodes.Status401Unauthorized);
            return;
        }
        await IssueAsync(context, refresh.SessionId, refresh.RefreshToken!, now);
    }

    private async Task IssueAsync(HttpContext context, Guid sessionId, string refreshToken, DateTimeOffset now)
    {
        var session = await StoredSession.FindAsync(team.Database, sessionId, context.RequestAborted)
            ?? throw new TeamStoreException($"Session {sessionId} vanished while it was being issued.");
        var expires = now + AccessLifetime;
        var token = BearerToken.Sign(team.SigningKeys, new BearerClaims(session.UserId, sessionId, session.Email, session.GroupNames, expires), now,
            config.BillingGroupTag);
        await OAuthReplies.JsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteString("access_token", token);
            json.WriteString("token_type", "Bearer");
            json.WriteNumber("expires_in", (int)AccessLifetime.TotalSeconds);
            json.WriteString("refresh_token", refreshToken);
            json.WriteString("email", session.Email);
        });
    }

    /// <summary>RFC 7009: 200 whatever the token was (an unknown token reveals nothing); a known one ends its session everywhere.</summary>
    private async Task RevokeAsync(HttpContext context)
    {
        var form = await OAuthReplies.FormAsync(context);
        var token = form["token"].FirstOrDefault();
        if (string.IsNullOrEmpty(token))
        {
            await OAuthReplies.ErrorAsync(context, "invalid_request", "token is missing: send the access or refresh token to revoke.");
            return;
        }
        Guid? session = token.StartsWith(OpaqueToken.RefreshToken, StringComparison.Ordinal)
            ? await _sessions.SessionOfRefreshAsync(token, context.RequestAborted)
            : BearerToken.LooksLikeOne(token) && await BearerToken.VerifyAsync(token, team.SigningKeys, context.RequestAborted) is { } claims
                ? claims.SessionId
                : null;
        if (session is { } id && await _sessions.RevokeAsync(id, "signed_out", context.RequestAborted))
        {
            await team.Invalidation.PublishAsync(id);
            LogSignedOut(logger, id);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store";
    }

    [LoggerMessage(EventIds.TeamSignedIn, LogLevel.Information, "Team sign-in: user {UserId} opened session {SessionId} from {Surface}")]
    private static partial void LogSignedIn(ILogger logger, Guid userId, Guid sessionId, string surface);

    [LoggerMessage(EventIds.TeamSignedOut, LogLevel.Information, "Team sign-in: session {SessionId} signed out")]
    private static partial void LogSignedOut(ILogger logger, Guid sessionId);

    [LoggerMessage(EventIds.TeamRefreshReplayed, LogLevel.Warning,
        "Team sign-in: a used refresh token of user {UserId} was presented again; session {SessionId} is revoked (the token was copied)")]
    private static partial void LogRefreshReplayed(ILogger logger, Guid userId, Guid sessionId);
}
