using System.Runtime.CompilerServices;
using Npgsql;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Routing;

namespace Switchboard.Team;

/// <summary>
/// This replica's copy of each caller's <see cref="EffectivePolicy"/>, for <see cref="Lifetime"/> at most. It is keyed
/// on the principal's group list, which the authenticator's cache hands out as the same instance for as long as it
/// holds the key, so a hit costs a table lookup and no allocation. A group change published anywhere
/// (<see cref="TeamInvalidation"/>) or a config reload makes every entry stale: group changes are rare, and reloading
/// one policy is one query. With PostgreSQL away, the last policy read keeps serving.
/// </summary>
internal sealed class GroupPolicyCache(TeamGroupPolicies store, TimeProvider time, Action<TeamPrincipal, string>? blocked = null) : ITeamCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private sealed record Entry(long Generation, long ConfigVersion, DateTimeOffset Expires, EffectivePolicy? Policy);

    private readonly ConditionalWeakTable<IReadOnlyList<Guid>, Entry> _entries = new();
    private long _generation;

    /// <summary>The policy <paramref name="principal"/>'s requests follow under <paramref name="snapshot"/>; null: the config as it is.</summary>
    public async ValueTask<EffectivePolicy?> ForAsync(TeamPrincipal? principal, ConfigSnapshot snapshot, CancellationToken cancellationToken)
    {
        if (principal is not { GroupIds: { Count: > 0 } groups }) return null;
        var generation = Volatile.Read(ref _generation);
        if (_entries.TryGetValue(groups, out var entry) && entry.Generation == generation &&
            entry.ConfigVersion == snapshot.Version && entry.Expires > time.GetUtcNow())
            return entry.Policy;
        IReadOnlyList<(string Name, GroupPolicy Policy)> policies;
        try { policies = await store.OfAsync(groups, cancellationToken); }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // PostgreSQL away: what was known for this config still holds better than refusing the whole team.
            if (entry is not null && entry.ConfigVersion == snapshot.Version) return entry.Policy;
            throw new AnthropicErrorException(new AnthropicError(503, ErrorTypes.Api,
                "The team database does not answer, so your groups' policy cannot be read; try again shortly."));
        }
        var policy = EffectivePolicy.Build(policies, snapshot.Config);
        _entries.AddOrUpdate(groups, new Entry(generation, snapshot.Version, time.GetUtcNow() + Lifetime, policy));
        return policy;
    }

    /// <summary>
    /// <paramref name="decision"/> restricted to what <paramref name="policy"/> allows (<see cref="EffectivePolicy.Restrict"/>);
    /// a request left with no allowed target is reported as blocked, for the audit log, before its 400 goes out.
    /// </summary>
    public RouteDecision Restrict(EffectivePolicy policy, RouteDecision decision, TeamPrincipal principal)
    {
        try
        {
            return policy.Restrict(decision);
        }
        catch (AnthropicErrorException)
        {
            blocked?.Invoke(principal, TeamAudit.ModelDenied);
            throw;
        }
    }

    public void Invalidate(Guid id) => Interlocked.Increment(ref _generation);

    public void InvalidateAll() => Interlocked.Increment(ref _generation);
}
