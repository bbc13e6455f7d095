using Microsoft.AspNetCore.Http;
using Npgsql;
using Switchboard.Anthropic;
using Switchboard.Team;

namespace Switchboard.Hosting.Team;

/// <summary>
/// Team mode's answer to "who may call": every endpoint that is not public needs a user's Switchboard key, or the
/// operator key (<c>apiKey</c>) where an administrator is expected. The key is resolved from this replica's cache
/// (<see cref="TeamAuthenticator"/>), so an authorised request costs no database round trip.
/// </summary>
internal static class TeamGate
{
    /// <summary>The 401 or 403 to answer with, or null once <see cref="TeamCaller"/> says who is calling.</summary>
    public static async ValueTask<AnthropicError?> CheckAsync(HttpContext context, TeamAuthenticator authenticator, ClientKey operatorKey)
    {
        var headers = context.Request.Headers;
        if (operatorKey.Value is { Length: > 0 } && ClientAuth.Check(headers, operatorKey) is null)
        {
            TeamCaller.SetOperator(context);
            return UsersOnly(context.Request.Path) ? OperatorCannotSend : null;
        }
        var presented = PresentedKey.From(headers["x-api-key"], headers.Authorization);
        TeamAuthentication answer;
        try
        {
            answer = await authenticator.AuthenticateAsync(presented, context.RequestAborted);
        }
        catch (Exception ex) when (ex is TeamStoreException or NpgsqlException or TimeoutException && !context.RequestAborted.IsCancellationRequested)
        {
            // A key this replica does not hold yet must be read; keys it holds keep working while PostgreSQL is away.
            return DatabaseAway;
        }
        if (answer.Principal is not { } principal)
            // Asking again with the same key cannot help; without this Claude Code retries for minutes before it says so.
            return AnthropicError.Authentication(answer.Message) with { ShouldRetry = false };
        TeamCaller.SetUser(context, principal);
        // Which managed settings the session runs under (gateway protocol): tallied here, written off the request path.
        if (UsersOnly(context.Request.Path))
            authenticator.SettingsReports.Report(principal.UserId, headers["x-claude-code-managed-settings-checksum"].FirstOrDefault(), DateTimeOffset.UtcNow);
        return null;
    }

    // Messages are charged to a user: the operator key has none.
    private static bool UsersOnly(PathString path) => path.Value is { } value && value.EndsWith("/v1/messages", StringComparison.Ordinal);

    private static readonly AnthropicError DatabaseAway = AnthropicError.Api(
        "The gateway could not check this Switchboard key: its team database (PostgreSQL) does not answer. Try again " +
        "shortly; if it persists, tell the gateway's operator (GET /health shows what is down).", StatusCodes.Status503ServiceUnavailable);

    private static readonly AnthropicError OperatorCannotSend = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission,
        "The gateway's operator key (apiKey) administers the gateway and belongs to no user, so it sends no messages: " +
        "use a user's Switchboard key (switchboard team keys create <email>).") { ShouldRetry = false };
}
