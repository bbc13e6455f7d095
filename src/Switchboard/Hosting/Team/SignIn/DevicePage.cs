using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Config;
using Switchboard.Team;
using static Switchboard.Hosting.Team.SignIn.SignInHtml;

namespace Switchboard.Hosting.Team.SignIn;

/// <summary>
/// The verification page (gateway protocol, "Verification page"): the browser Claude Code opens shows the user
/// code, filled in but never submitted by itself; the person signs in with their email and password and approves
/// (or denies) the sign-in, and the client's next poll of the token endpoint gets its token. Also the invite page,
/// where a new member sets their password from the one-time link an admin made. Each POST counts against the per-IP
/// <see cref="SignInRateLimit"/> before any password is checked.
/// </summary>
internal sealed partial class DevicePage(TeamServices team, TeamConfig config, TimeProvider time, ILogger logger)
{
    public const string InvitePath = "/invite";

    private readonly DeviceCodes _codes = new(team.Database);
    private readonly LocalAccounts _accounts = new(team.Database);
    private readonly SignInRateLimit _rate = new(team, config.SignInAttemptsPerMinute, config.WhenRedisDown == TeamConfig.Allow);

    public void Map(WebApplication app)
    {
        app.MapGet(OAuthEndpoints.DevicePath, ShowAsync).WithMetadata(PublicEndpoint.Instance);
        app.MapPost(OAuthEndpoints.DevicePath, SubmitAsync).WithMetadata(PublicEndpoint.Instance, FormEndpoint.Instance);
        app.MapGet(InvitePath, ShowInviteAsync).WithMetadata(PublicEndpoint.Instance);
        app.MapPost(InvitePath, AcceptInviteAsync).WithMetadata(PublicEndpoint.Instance, FormEndpoint.Instance);
    }

    private Task ShowAsync(HttpContext context) =>
        FormAsync(context, StatusCodes.Status200OK, context.Request.Query["user_code"].FirstOrDefault(), null);

    private async Task SubmitAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var typed = form["user_code"].FirstOrDefault();
        if (!await _rate.AllowAsync(context))
        {
            await FormAsync(context, StatusCodes.Status429TooManyRequests, typed,
                $"Too many tries from your address (more than {_rate.AttemptsPerMinute} a minute): wait a minute and try again.");
            return;
        }
        var now = time.GetUtcNow();
        if (UserCode.Normalize(typed) is not { } code || await _codes.FindPendingAsync(code, now, context.RequestAborted) is not { } pending)
        {
            await FormAsync(context, StatusCodes.Status400BadRequest, typed,
                "That code is not waiting for a sign-in: it may be mistyped, used or expired (codes last 10 minutes). Check it, or start the sign-in again in Claude Code.");
            return;
        }
        var email = form["email"].FirstOrDefault()?.Trim() ?? "";
        var account = email.Length > 0 ? await _accounts.FindAsync(email, context.RequestAborted) : null;
        // The hash is checked even for an unknown email, so the answer's timing does not say which emails exist.
        if (!PasswordHash.Verify(form["password"].FirstOrDefault() ?? "", account?.PasswordHash) || account is null)
        {
            await _accounts.AuditAsync(account?.UserId.ToString() ?? "unknown", pending.Id.ToString(), "wrong_password", "password", context.RequestAborted);
            LogRefused(logger, "wrong email or password");
            await FormAsync(context, StatusCodes.Status401Unauthorized, typed, "Wrong email or password.");
            return;
        }
        if (account.DisabledAt is not null)
        {
            await _accounts.AuditAsync(account.UserId.ToString(), pending.Id.ToString(), "user_disabled", "password", context.RequestAborted);
            await FormAsync(context, StatusCodes.Status403Forbidden, typed, "This account is disabled: ask an admin of this gateway.");
            return;
        }
        var deny = form["decision"].FirstOrDefault() == "deny";
        var decided = deny
            ? await _codes.DenyAsync(pending.Id, now, context.RequestAborted)
            : await _codes.ApproveAsync(pending.Id, account.UserId, now, context.RequestAborted);
        if (!decided)
        {
            await FormAsync(context, StatusCodes.Status409Conflict, typed, "This code was decided meanwhile (or expired): start the sign-in again if you need to.");
            return;
        }
        await _accounts.AuditAsync(account.UserId.ToString(), pending.Id.ToString(), deny ? "denied" : "approved", "password", context.RequestAborted);
        await WriteAsync(context, StatusCodes.Status200OK, deny ? "Sign-in denied" : "Signed in",
            Paragraph(deny
                ? "The sign-in was denied; the program that asked stops waiting."
                : $"Signed in as {account.Email}. Go back to {Describe(pending)}: it carries on by itself. You can close this page."));
    }

    private static string Describe(DeviceCodes.Pending pending) => pending.Surface == "claude_code" ? "Claude Code" : "the program that asked";

    private static Task FormAsync(HttpContext context, int status, string? userCode, string? error) =>
        WriteAsync(context, status, "Sign in to the gateway",
            (error is null ? "" : Paragraph(error, "error")) +
            Paragraph("Check that this code is the one your terminal shows, then sign in to approve it.") +
            $"<form method=\"post\" action=\"{OAuthEndpoints.DevicePath}\">" +
            Field("Code", "user_code", "text", userCode, "off") +
            Field("Email", "email", "email", autocomplete: "username") +
            Field("Password", "password", "password", autocomplete: "current-password") +
            "<button type=\"submit\" name=\"decision\" value=\"approve\">Approve</button>" +
            "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>" +
            Paragraph("If you did not start a sign-in, deny it.", "note"));

    private async Task ShowInviteAsync(HttpContext context)
    {
        var token = context.Request.Query["token"].FirstOrDefault() ?? "";
        var email = token.Length > 0 ? await _accounts.InvitedEmailAsync(token, time.GetUtcNow(), context.RequestAborted) : null;
        if (email is null)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, "Invite not valid",
                Paragraph("This invite link was used already, has expired, or was not copied whole: ask an admin for a new one.", "error"));
            return;
        }
        await InviteFormAsync(context, StatusCodes.Status200OK, token, email, null);
    }

    private async Task AcceptInviteAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = form["token"].FirstOrDefault() ?? "";
        if (!await _rate.AllowAsync(context))
        {
            await WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many tries", Paragraph("Too many tries from your address: wait a minute.", "error"));
            return;
        }
        var now = time.GetUtcNow();
        var password = form["password"].FirstOrDefault();
        var problem = PasswordHash.Problem(password) ?? (password != form["repeat"].FirstOrDefault() ? "The two passwords differ." : null);
        if (problem is not null)
        {
            var invited = await _accounts.InvitedEmailAsync(token, now, context.RequestAborted);
            if (invited is not null)
            {
                await InviteFormAsync(context, StatusCodes.Status400BadRequest, token, invited, problem);
                return;
            }
        }
        var email = problem is null ? await _accounts.AcceptInviteAsync(token, password!, now, context.RequestAborted) : null;
        if (email is null)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, "Invite not valid",
                Paragraph("This invite link was used already, has expired, or was not copied whole: ask an admin for a new one.", "error"));
            return;
        }
        await WriteAsync(context, StatusCodes.Status200OK, "Password set",
            Paragraph($"Your password for {email} is set. Sign in from Claude Code (/login, with this gateway's URL) or with switchboard login."));
    }

    private static Task InviteFormAsync(HttpContext context, int status, string token, string email, string? error) =>
        WriteAsync(context, status, "Set your password",
            (error is null ? "" : Paragraph(error, "error")) +
            Paragraph($"Choose the password you will sign in to this gateway with, as {email}.") +
            $"<form method=\"post\" action=\"{InvitePath}\"><input type=\"hidden\" name=\"token\" value=\"{System.Net.WebUtility.HtmlEncode(token)}\">" +
            Field("Password", "password", "password", autocomplete: "new-password") +
            Field("Password again", "repeat", "password", autocomplete: "new-password") +
            $"<p class=\"note\">At least {PasswordHash.MinimumLength} characters.</p><button type=\"submit\">Set password</button></form>");

    [LoggerMessage(EventIds.TeamSignInRefused, LogLevel.Information, "Team sign-in refused on the verification page: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);
}
