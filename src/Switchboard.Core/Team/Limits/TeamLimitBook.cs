namespace Switchboard.Team;

/// <summary>
/// Every limit of the team, held by each replica and read again from PostgreSQL once it is older than its lifetime.
/// The first read is awaited; after that a stale book keeps answering while one background read replaces it, so no
/// request waits on the database. A change made on another replica is seen within <see cref="Lifetime"/>;
/// <see cref="Invalidate"/> makes this replica read it on its next request.
/// </summary>
internal sealed class TeamLimitBook(TeamLimits store, TimeProvider time) : ITeamCache
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    private Snapshot? _current;
    private Task? _refreshing;

    private sealed record Snapshot(Dictionary<(string, Guid), TeamLimit[]> BySubject, DateTimeOffset ReadAt);

    /// <summary>The limits on the principal's user, its groups and its key; empty (and no allocation) when none applies.</summary>
    public async ValueTask<IReadOnlyList<TeamLimit>> ForAsync(TeamPrincipal principal, CancellationToken cancellationToken)
    {
        var snapshot = _current ?? await ReadAsync(cancellationToken);
        if (time.GetUtcNow() - snapshot.ReadAt > Lifetime) RefreshInBackground();
        if (snapshot.BySubject.Count == 0) return [];
        List<TeamLimit>? found = null;
        Add(ref found, snapshot, TeamLimit.User, principal.UserId);
        Add(ref found, snapshot, TeamLimit.Key, principal.KeyId);
        foreach (var group in principal.GroupIds) Add(ref found, snapshot, TeamLimit.Group, group);
        return found is null ? [] : found;
    }

    /// <summary>Drops the book, so the next request reads the limits again (after this replica changed one).</summary>
    public void Invalidate() => _current = null;

    // The whole table is one read, so any change announced (a limit set anywhere, Redis back) reads it afresh.
    void ITeamCache.Invalidate(Guid id) => Invalidate();
    void ITeamCache.InvalidateAll() => Invalidate();

    private static void Add(ref List<TeamLimit>? found, Snapshot snapshot, string kind, Guid id)
    {
        if (snapshot.BySubject.TryGetValue((kind, id), out var limits)) (found ??= []).AddRange(limits);
    }

    private void RefreshInBackground()
    {
        if (_refreshing is { IsCompleted: false }) return;
        // A failed read keeps the old book (and is tried again on the next request past its lifetime).
        _refreshing = Task.Run(async () => { try { await ReadAsync(CancellationToken.None); } catch (TeamStoreException) { } });
    }

    private async Task<Snapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var readAt = time.GetUtcNow();
        var limits = await store.ListAsync(cancellationToken: cancellationToken);
        var snapshot = new Snapshot(limits.GroupBy(limit => (limit.SubjectKind, limit.SubjectId))
            .ToDictionary(group => group.Key, group => group.ToArray()), readAt);
        _current = snapshot;
        return snapshot;
    }
}
