namespace Switchboard.Team;

/// <summary>Why a team store call failed: the store cannot be used, the row named does not exist, or it clashes with one.</summary>
internal enum TeamStoreFailure
{
    Unavailable,
    NotFound,
    Conflict,
}
