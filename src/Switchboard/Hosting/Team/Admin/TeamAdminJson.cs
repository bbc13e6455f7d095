using System.Text.Json.Serialization;
using Switchboard.Config;
using Switchboard.Team;

namespace Switchboard.Hosting.Team.Admin;

/// <summary>Source-generated JSON for the admin API (and the <c>switchboard team</c> CLI that reads it back).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdminUserList))]
[JsonSerializable(typeof(AdminUserChange))]
[JsonSerializable(typeof(AdminGroupList))]
[JsonSerializable(typeof(AdminGroupChange))]
[JsonSerializable(typeof(AdminKeyList))]
[JsonSerializable(typeof(AdminKeyChange))]
[JsonSerializable(typeof(AdminCreatedKey))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(SetRoleRequest))]
[JsonSerializable(typeof(SetPasswordRequest))]
[JsonSerializable(typeof(AdminPasswordSet))]
[JsonSerializable(typeof(AdminInvite))]
[JsonSerializable(typeof(CreateGroupRequest))]
[JsonSerializable(typeof(MemberRequest))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(AdminLimitList))]
[JsonSerializable(typeof(AdminLimitChange))]
[JsonSerializable(typeof(SetLimitRequest))]
[JsonSerializable(typeof(AdminGroupPolicy))]
[JsonSerializable(typeof(AdminGroupPolicyChange))]
internal sealed partial class TeamAdminJson : JsonSerializerContext;

internal sealed record AdminUser(
    Guid Id, string Email, string DisplayName, string Role, bool Disabled, DateTimeOffset? DisabledAt, DateTimeOffset CreatedAt,
    List<string> Groups)
{
    public static AdminUser Of(TeamUser user, List<string> groups) =>
        new(user.Id, user.Email, user.DisplayName, user.Role, user.IsDisabled, user.DisabledAt, user.CreatedAt, groups);
}

internal sealed record AdminMember(Guid Id, string Email);

internal sealed record AdminGroup(Guid Id, string Name, DateTimeOffset CreatedAt, List<AdminMember> Members);

/// <summary>A key as listed: its prefix and state, never its value.</summary>
internal sealed record AdminKey(
    Guid Id, Guid UserId, string Prefix, string Shown, string Name, IReadOnlyList<string> Scopes, bool Revoked,
    DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, DateTimeOffset CreatedAt)
{
    public static AdminKey Of(ApiKeyInfo key) => new(key.Id, key.UserId, key.Prefix, key.Shown, key.Name, key.Scopes,
        key.RevokedAt is not null, key.ExpiresAt, key.RevokedAt, key.LastUsedAt, key.CreatedAt);
}

internal sealed record AdminUserList(List<AdminUser> Users);

internal sealed record AdminGroupList(List<AdminGroup> Groups);

internal sealed record AdminKeyList(List<AdminKey> Keys);

/// <summary>A change's result; <see cref="ReplicasTold"/> says whether Redis carried it to every replica (null: none needed).</summary>
internal sealed record AdminUserChange(AdminUser User, bool? ReplicasTold);

internal sealed record AdminGroupChange(AdminGroup Group, bool? ReplicasTold);

internal sealed record AdminKeyChange(AdminKey Key, bool ReplicasTold);

/// <summary>A key just made: <see cref="Key"/> appears in this answer only. <see cref="ReplacedKey"/> is set by a rotation.</summary>
internal sealed record AdminCreatedKey(string Key, AdminKey Info, string Notice, Guid? ReplacedKey, bool? ReplicasTold)
{
    public override string ToString() => $"AdminCreatedKey {{ Info = {Info} }}";
}

internal sealed record CreateUserRequest(string? Email, string? DisplayName, string? Role);

internal sealed record SetRoleRequest(string? Role);

/// <summary>A password an admin sets for a user (never written back, never logged).</summary>
internal sealed record SetPasswordRequest(string? Password)
{
    public override string ToString() => "SetPasswordRequest { }";
}

internal sealed record AdminPasswordSet(Guid User, string Email);

/// <summary>A one-time link a new member opens to set their password; shown once.</summary>
internal sealed record AdminInvite(Guid User, string Email, string Url, DateTimeOffset ExpiresAt);

internal sealed record CreateGroupRequest(string? Name);

internal sealed record MemberRequest(string? User);

internal sealed record CreateKeyRequest(string? Name, List<string>? Scopes, DateTimeOffset? ExpiresAt);

internal sealed record AdminLimit(Guid Id, string Subject, Guid SubjectId, string Kind, string? Period, decimal Amount);

internal sealed record AdminLimitList(List<AdminLimit> Limits);

internal sealed record AdminLimitChange(AdminLimit? Limit, bool Deleted, bool ReplicasTold);

/// <summary>A limit to set: <c>subject</c> is user, group or key; <c>of</c> names it as the other endpoints do (email, name, prefix or id).</summary>
internal sealed record SetLimitRequest(string? Subject, string? Of, string? Kind, string? Period, decimal? Amount);

/// <summary>A group's policy, in and out; routes and rules are in the config file's shape.</summary>
internal sealed record AdminGroupPolicy(
    List<string>? AllowedProviders, List<string>? AllowedModels, string? DefaultModel, RoutesConfig? Routes, List<RouteRule>? Rules);

internal sealed record AdminGroupPolicyChange(string Group, AdminGroupPolicy Policy, bool ReplicasTold);

