namespace Switchboard;

/// <summary>
/// Every log event id Switchboard writes, in one table (as YARP keeps its <c>EventIds</c>), so no two events share an
/// id and a log filter keeps meaning the same thing. Ranges by area: hosting and forwarding 1–99, config 100s, ledger 200s,
/// providers 300s, sanitizing 400s, team mode 500s.
/// </summary>
internal static class EventIds
{
    // Hosting: the HTTP side of a request, and the daemon itself.
    public const int Listening = 1;
    public const int RequestFailed = 3;
    public const int UpstreamBrokeOff = 4;
    public const int Unexpected = 5;
    public const int ClientGone = 6;
    public const int ModelListFailed = 7;
    public const int Routed = 9;
    public const int UpstreamErrorWrapped = 10;
    public const int ModelListStillFailing = 11;
    public const int HeapTrimmed = 40;

    // Forwarding: retries and fallback (the id dates from when this lived in hosting).
    public const int TargetFailed = 8;

    // Config file.
    public const int ConfigReloaded = 100;
    public const int ConfigRejected = 101;

    // Usage ledger.
    public const int LedgerDropped = 200;
    public const int LedgerWriteFailed = 201;
    public const int LedgerPruned = 202;
    public const int LedgerPruneFailed = 203;
    public const int LedgerAbandoned = 204;
    public const int LedgerWriteRetrying = 205;
    public const int LedgerWriteRecovered = 206;
    public const int LedgerSpoolReplaying = 207;
    public const int LedgerSpoolFailed = 208;
    public const int TeamLedgerReadFailed = 220;
    public const int LedgerUnavailable = 210;

    // Providers.
    public const int UpstreamError = 301;
    public const int OutputLimitCapped = 302;

    // Sanitizing: what was mended on the way up (requests) and down (streams).
    public const int Repaired = 400;
    public const int StreamRepaired = 410;
    public const int StreamBrokeOff = 411;

    // Team mode: keys and authentication 510s.
    public const int TeamKeyActivityNotWritten = 510;

    // Team mode at start (550s, leaving 500s to the team stores).
    public const int TeamReady = 550;
    public const int TeamRedisUnavailable = 551;
    public const int TeamInvalidationResubscribed = 552;
    public const int TeamInvalidationNotSubscribed = 553;
    public const int TeamInvalidationNotPublished = 554;

    // Team mode: state the replicas share (560s).
    public const int TeamCooldownsNotShared = 560;
    public const int TeamHeartbeatNotWritten = 561;

    // Team limits (570s).
    public const int TeamLimitsUnreadableRefusing = 570;
    public const int TeamLimitsUnreadableAllowing = 571;
    public const int TeamLimitsReadableAgain = 572;
    public const int TeamLimitsNotSettled = 573;

    // Team sign-in: Claude Code's gateway protocol (580s).
    public const int TeamSignedIn = 580;
    public const int TeamSignedOut = 581;
    public const int TeamRefreshReplayed = 582;
    public const int TeamSignInRefused = 583;
    public const int TeamCertificate = 584;
}
