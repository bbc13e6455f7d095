using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;
using Switchboard.Team;
using Switchboard.Team.Ledger;

namespace Switchboard.Hosting.Team;

/// <summary>
/// Who may read the team ledger's figures through this replica (the dashboard's usage API, the team-wide part of
/// <c>/metrics</c>): everyone's spend, by person, is for administrators (the operator key or a user with the admin
/// role). On the local path there is no caller and nothing to refuse.
/// </summary>
internal static class TeamUsageAccess
{
    public static bool Allowed(HttpContext context) =>
        !TeamCaller.IsSet(context) || TeamCaller.IsOperator(context) || TeamCaller.Of(context) is { IsAdmin: true };

    public static readonly AnthropicError AdminsOnly = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission,
        "Team-wide usage is shown to administrators: use the operator key (apiKey) or a key of a user with the admin role.")
    { ShouldRetry = false };

    /// <summary>The ledger's database failed to answer a read: a 503 naming the server (never its password).</summary>
    public static AnthropicError Unavailable(Exception exception) => AnthropicError.Api(
        exception is TeamStoreException ? exception.Message : "The team ledger in PostgreSQL did not answer; try again, or see /health.", 503);

    public static bool IsUnavailable(Exception exception) => TeamLedgerStore.IsTransient(exception);
}
