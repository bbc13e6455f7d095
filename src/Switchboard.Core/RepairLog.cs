using Microsoft.Extensions.Logging;

namespace Switchboard;

/// <summary>One line per repair made to a request or a reply on its way through, whoever made it.</summary>
internal static partial class RepairLog
{
    [LoggerMessage(EventIds.Repaired, LogLevel.Information, "{Provider}: {Repair}")]
    public static partial void Repaired(ILogger logger, string provider, string repair);
}
