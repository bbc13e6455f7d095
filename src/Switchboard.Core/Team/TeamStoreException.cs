namespace Switchboard.Team;

/// <summary>Team mode's shared state cannot be used; the message says what to fix, and never holds a password.</summary>
public sealed class TeamStoreException(string message, Exception? inner = null) : Exception(message, inner);
