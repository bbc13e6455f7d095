using Microsoft.AspNetCore.Http;
using Switchboard.Team;

namespace Switchboard.Hosting.Team;

/// <summary>
/// Who a team-mode request comes from, set by <see cref="TeamGate"/> before any endpoint that is not public runs:
/// a user's key (a <see cref="TeamPrincipal"/>) or the gateway's operator key (<c>apiKey</c> in the config, which
/// belongs to no user: it administers the gateway and sends no Messages).
/// </summary>
internal sealed class TeamCaller
{
    private static readonly TeamCaller Operator = new(null);

    private TeamCaller(TeamPrincipal? principal) => Principal = principal;

    public TeamPrincipal? Principal { get; }

    /// <summary>The user behind the request, or null outside team mode, on public endpoints, and for the operator key.</summary>
    public static TeamPrincipal? Of(HttpContext context) => context.Features.Get<TeamCaller>()?.Principal;

    /// <summary>Whether the request came with the operator key.</summary>
    public static bool IsOperator(HttpContext context) => ReferenceEquals(context.Features.Get<TeamCaller>(), Operator);

    /// <summary>Whether the request passed <see cref="TeamGate"/>: its credentials are team keys, never to be forwarded.</summary>
    public static bool IsSet(HttpContext context) => context.Features.Get<TeamCaller>() is not null;

    public static void SetUser(HttpContext context, TeamPrincipal principal) => context.Features.Set(new TeamCaller(principal));

    public static void SetOperator(HttpContext context) => context.Features.Set(Operator);
}
