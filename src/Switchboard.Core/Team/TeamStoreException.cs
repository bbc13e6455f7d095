namespace Switchboard.Team;

/// <summary>Team mode's shared state cannot be used; the message says what to fix, and never holds a password.</summary>
internal sealed class TeamStoreException(string message, Exception? inner = null) : Exception(message, inner);
