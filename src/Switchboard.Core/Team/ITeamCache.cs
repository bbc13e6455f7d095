namespace Switchboard.Team;

/// <summary>
/// Something a replica keeps in memory about team state (keys, limits, group policy) that a change made anywhere must
/// reach. <see cref="TeamInvalidation"/> calls these for changes published by any replica, this one included.
/// </summary>
internal interface ITeamCache
{
    /// <summary>Forgets what is held about <paramref name="id"/>: a key, a user or a group, whichever the cache keys on.</summary>
    void Invalidate(Guid id);

    /// <summary>Forgets everything: for when changes may have been missed (Redis reconnected).</summary>
    void InvalidateAll();
}
