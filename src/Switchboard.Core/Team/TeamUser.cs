namespace Switchboard.Team;

/// <summary>A person who may call the gateway. A disabled user's keys are refused.</summary>
internal sealed record TeamUser(Guid Id, string Email, string DisplayName, string Role, DateTimeOffset? DisabledAt, DateTimeOffset CreatedAt)
{
    public const string Member = "member";
    public const string Admin = "admin";

    public bool IsDisabled => DisabledAt is not null;
}
