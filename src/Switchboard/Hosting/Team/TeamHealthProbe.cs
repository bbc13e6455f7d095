using Switchboard.Config;

namespace Switchboard.Hosting.Team;

/// <summary>
/// <c>/health</c>'s team section. The replica id is <c>machine:port:pid</c>: stable for the process, different for
/// two replicas on one machine, and enough for an operator to find the process. PostgreSQL and Redis each get
/// <see cref="Timeout"/> to answer, so a load balancer's health check never hangs on a dead dependency.
/// </summary>
internal sealed class TeamHealthProbe(TeamServices team, ConfigStore configStore, Func<Uri> address)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private readonly ConfigHash _hash = new(configStore);

    public string ReplicaId => ReplicaIdOf(address());

    /// <summary>The id of the replica listening at <paramref name="listening"/>: in <c>/health</c> and in the team ledger.</summary>
    public static string ReplicaIdOf(Uri listening) => $"{Environment.MachineName}:{listening.Port}:{Environment.ProcessId}";

    public string ConfigHash => _hash.Current;

    public async Task<TeamHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var (postgres, redis) = await team.AnswersAsync(Timeout, cancellationToken);
        var peers = redis && team.Peers is { } known ? await known.ListAsync() : null;
        return new TeamHealth(ReplicaId, postgres, redis, _hash.Current) { Peers = peers, SameConfig = peers?.TrueForAll(peer => peer.SameConfig) };
    }
}
