namespace Switchboard.Team;

/// <summary>
/// A limit's counter could not be read: Redis does not answer, or a lost spend counter could not be rebuilt because
/// PostgreSQL does not. <c>team.whenRedisDown</c> decides what the request gets. The message names no secret.
/// </summary>
internal sealed class LimitsUnreadableException(string message, Exception? inner = null) : Exception(message, inner);
