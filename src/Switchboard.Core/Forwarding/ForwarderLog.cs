using Microsoft.Extensions.Logging;

namespace Switchboard.Forwarding;

/// <summary>The forwarder's log lines, source-generated.</summary>
internal static partial class ForwarderLog
{
    [LoggerMessage(EventIds.TargetFailed, LogLevel.Warning, "Target {Target} failed ({Status}, attempt {Attempt}): {Message}")]
    public static partial void TargetFailed(ILogger logger, string target, int status, int attempt, string message);
}
