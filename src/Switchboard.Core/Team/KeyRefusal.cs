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

    /// <summary>A bearer token shaped like the gateway's, but not signed by it (or not for it).</summary>
    SignInInvalid,

    /// <summary>A gateway bearer token past its <c>exp</c>: the client should have refreshed it.</summary>
    SignInExpired,

    /// <summary>The token's session was ended: signed out, revoked by an admin, or its refresh token was replayed.</summary>
    SignInRevoked,

    /// <summary>The token is fine but the person who signed in was disabled.</summary>
    SignInUserDisabled,
}
