namespace Switchboard.Team;

/// <summary>Who is calling, as a team key resolves: the user, their groups and the key used, with its scopes.</summary>
internal sealed record TeamPrincipal(
    Guid UserId, string Email, string DisplayName, string Role,
    IReadOnlyList<Guid> GroupIds, IReadOnlyList<string> GroupNames,
    Guid KeyId, string KeyPrefix, IReadOnlyList<string> Scopes)
{
    public bool IsAdmin => Role == TeamUser.Admin;
}
