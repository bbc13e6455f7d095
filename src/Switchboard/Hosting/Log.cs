using Microsoft.Extensions.Logging;

namespace Switchboard.Hosting;

/// <summary>The server's log lines, source-generated: no string building unless the level is on.</summary>
internal static partial class Log
{
    [LoggerMessage(EventIds.Listening, LogLevel.Information, "Switchboard {Version} listening on {Url} (config {ConfigFile})")]
    public static partial void Listening(ILogger logger, string version, string url, string configFile);

    [LoggerMessage(EventIds.RequestFailed, LogLevel.Warning, "{Method} {Path} failed: {Status} {ErrorType}: {Message}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, int status, string errorType, string message);

    [LoggerMessage(EventIds.UpstreamBrokeOff, LogLevel.Warning, "Upstream stream broke off: {Message}")]
    public static partial void UpstreamBrokeOff(ILogger logger, string message);

    [LoggerMessage(EventIds.Unexpected, LogLevel.Error, "Unexpected failure handling {Method} {Path}")]
    public static partial void Unexpected(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventIds.ClientGone, LogLevel.Debug, "Client went away during {Method} {Path}; upstream request cancelled")]
    public static partial void ClientGone(ILogger logger, string method, string path);

    [LoggerMessage(EventIds.ModelListFailed, LogLevel.Warning, "Model list of provider {Provider} left out: {Reason}")]
    public static partial void ModelListFailed(ILogger logger, string provider, string reason);

    [LoggerMessage(EventIds.ModelListStillFailing, LogLevel.Debug, "Model list of provider {Provider} still left out: {Reason}")]
    public static partial void ModelListStillFailing(ILogger logger, string provider, string reason);

    [LoggerMessage(EventIds.Routed, LogLevel.Information,
        "{Method} {Path} model={Model} duty={Duty} rule={Rule} -> {Target} fallbacks={Fallbacks} tokens={Tokens} {Status} in {ElapsedMs} ms")]
    public static partial void Routed(ILogger logger, string method, string path, string model, string duty, string rule, string target,
        string fallbacks, string tokens, int status, long elapsedMs);

    [LoggerMessage(EventIds.UpstreamErrorWrapped, LogLevel.Warning, "Provider {Provider} answered {Status} with {MediaType}, not Anthropic's error shape; the client gets it in Anthropic's envelope")]
    public static partial void UpstreamErrorWrapped(ILogger logger, string provider, int status, string mediaType);

    [LoggerMessage(EventIds.HeapTrimmed, LogLevel.Information, "Idle after a burst: heap trimmed from {BeforeMegabytes} MB to {AfterMegabytes} MB committed ({HeapMegabytes} MB in use), {ResidentMegabytes} MB resident ({Milliseconds} ms)")]
    public static partial void HeapTrimmed(ILogger logger, long beforeMegabytes, long afterMegabytes, long heapMegabytes, long residentMegabytes, long milliseconds);
}
