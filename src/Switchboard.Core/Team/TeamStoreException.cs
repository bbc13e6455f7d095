namespace Switchboard.Team;

/// <summary>Team mode's shared state cannot be used; the message says what to fix, and never holds a password.</summary>
internal sealed class TeamStoreException(string message, Exception? inner = null, TeamStoreFailure failure = TeamStoreFailure.Unavailable)
    : Exception(message, inner)
{
    /// <summary>What kind of failure, so the admin API answers 404 or 409 without reading the message.</summary>
    public TeamStoreFailure Failure => failure;
}
