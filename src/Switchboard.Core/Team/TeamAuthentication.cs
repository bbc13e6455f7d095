namespace Switchboard.Team;

/// <summary>What <see cref="TeamAuthenticator"/> answers: a principal, or a refusal and a message that says what to do.</summary>
internal sealed record TeamAuthentication
{
    public TeamPrincipal? Principal { get; private init; }
    public KeyRefusal? Refusal { get; private init; }

    /// <summary>For the 401 body: what went wrong and what to do. Names the key's prefix only to whoever holds the key.</summary>
    public string Message { get; private init; } = "";

    public bool IsAllowed => Principal is not null;

    public static TeamAuthentication Allowed(TeamPrincipal principal) => new() { Principal = principal };

    public static TeamAuthentication Refused(KeyRefusal refusal, string? shownKey = null, DateTimeOffset? expiredAt = null) => new()
    {
        Refusal = refusal,
        Message = refusal switch
        {
            KeyRefusal.Missing => "This gateway needs a Switchboard key: set ANTHROPIC_API_KEY (sent as x-api-key) or ANTHROPIC_AUTH_TOKEN (sent as Authorization: Bearer) to the key an admin gave you.",
            KeyRefusal.Malformed => $"The key sent is not a Switchboard key (those look like {ApiKeySecret.Scheme}xxxxxxxx-…): use the key an admin gave you for this gateway.",
            KeyRefusal.Unknown => "The Switchboard key sent is not known here: check it was copied whole, or ask an admin for a new one.",
            KeyRefusal.Revoked => $"Switchboard key {shownKey} was revoked: ask an admin for a new one.",
            KeyRefusal.Expired => $"Switchboard key {shownKey} expired at {expiredAt:u}: ask an admin for a new one.",
            KeyRefusal.UserDisabled => $"The account that Switchboard key {shownKey} belongs to is disabled: ask an admin.",
            KeyRefusal.SignInInvalid => "The bearer token sent was not issued by this gateway: sign in to it again (/login in Claude Code, or switchboard login).",
            KeyRefusal.SignInExpired => "Your sign-in to this gateway expired: sign in again (/login in Claude Code, or switchboard login).",
            KeyRefusal.SignInRevoked => "You were signed out of this gateway: sign in again (/login in Claude Code, or switchboard login).",
            KeyRefusal.SignInUserDisabled => "Your account on this gateway is disabled: ask an admin.",
            _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
        },
    };
}
