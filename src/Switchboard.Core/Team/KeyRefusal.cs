namespace Switchboard.Team;

/// <summary>Why a presented key does not let its caller in. Each maps to a 401 with <see cref="TeamAuthentication.Message"/>.</summary>
internal enum KeyRefusal
{
    /// <summary>No key at all: neither <c>x-api-key</c> nor <c>Authorization: Bearer</c>.</summary>
    Missing,

    /// <summary>Not shaped like a Switchboard key (an Anthropic key sent to the gateway, say).</summary>
    Malformed,

    /// <summary>Shaped right, but no stored key has its prefix and hash.</summary>
    Unknown,

    Revoked,
    Expired,

    /// <summary>The key is fine but its user was disabled.</summary>
    UserDisabled,
}
