namespace Switchboard.Team;

/// <summary>A group of users: what budgets and model allowlists are set for (item 4 reads the rest of its row).</summary>
internal sealed record TeamGroup(Guid Id, string Name, DateTimeOffset CreatedAt);
