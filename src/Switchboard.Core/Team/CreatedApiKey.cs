namespace Switchboard.Team;

/// <summary>A key just made: <see cref="Key"/> is the only time its value exists outside the caller's hands.</summary>
internal sealed record CreatedApiKey(string Key, ApiKeyInfo Info)
{
    // A record prints its members; this one must never print the key into a log.
    public override string ToString() => $"CreatedApiKey {{ Info = {Info} }}";
}
