namespace Switchboard.Team;

/// <summary>Why a team store call failed: the store cannot be used, the row named does not exist, it clashes with one, or the values are not valid.</summary>
internal enum TeamStoreFailure
{
    Unavailable,
    NotFound,
    Conflict,

    /// <summary>The values given cannot be stored as they are: the message says what to change.</summary>
    Invalid,
}
