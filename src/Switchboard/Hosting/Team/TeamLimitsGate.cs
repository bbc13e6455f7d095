using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Ledger;
using Switchboard.Team;

namespace Switchboard.Hosting.Team;

/// <summary>
/// Team mode's limits around <c>POST /v1/messages</c>: the request is admitted against its user's, groups' and key's
/// limits in one Redis round trip (<see cref="LimitCounters"/>) before the endpoint reads it, refused with the gateway
/// protocol's 429s, and charged once its reply has ended. A user with no limit costs no Redis call at all. The
/// upstream's own <c>anthropic-ratelimit-*</c> headers never reach a team user (they describe the gateway's provider
/// account, not the user's budget); a capped user gets <c>anthropic-ratelimit-unified-*</c> ones instead.
/// </summary>
internal sealed partial class TeamLimitsGate(TeamServices team, ConfigStore configStore, Func<PriceTable> prices, TimeProvider time, ILogger logger)
{
    private const string UpstreamRateLimitPrefix = "anthropic-ratelimit-";

    private readonly TeamLimitBook book = new(new TeamLimits(team.Database), time);

    /// <summary>The limits this replica holds; the admin API drops it after a change (<see cref="TeamLimitBook.Invalidate"/>).</summary>
    public TeamLimitBook Book => book;

    /// <summary><c>GET /api/oauth/usage</c> over the same limits.</summary>
    public OAuthUsageEndpoint Usage => field ??= new OAuthUsageEndpoint(team, book, time);

    private LimitCounters? _counters;
    private int _outage;
    private long _unchecked;

    /// <summary>Requests let through without their limits checked (<c>whenRedisDown: allow</c>, Redis down), for <c>/metrics</c>.</summary>
    public long UncheckedTotal => Interlocked.Read(ref _unchecked);

    /// <summary>The gate's line in <c>/metrics</c>.</summary>
    public void WriteMetrics(System.Text.StringBuilder text) => text
        .Append("# HELP switchboard_team_limits_unchecked_total Requests let through with their limits unchecked because Redis did not answer (team.whenRedisDown: allow).\n")
        .Append("# TYPE switchboard_team_limits_unchecked_total counter\n")
        .Append("switchboard_team_limits_unchecked_total ").Append(UncheckedTotal).Append('\n');

    private LimitCounters Counters => _counters ??= new LimitCounters(team.Redis, new TeamSpendLedger(team.Database));

    public RequestDelegate Around(RequestDelegate endpoint) => async context =>
    {
        if (TeamCaller.Of(context) is not { } principal)
        {
            await endpoint(context);
            return;
        }
        IReadOnlyList<TeamLimit> limits;
        try
        {
            limits = await book.ForAsync(principal, context.RequestAborted);
        }
        catch (TeamStoreException ex)
        {
            // Only the replica's first read can fail here: later ones keep the last good book.
            await UnreadableAsync(context, principal, endpoint, new LimitsUnreadableException("the limits cannot be read: PostgreSQL does not answer", ex));
            return;
        }
        if (limits.Count == 0)
        {
            context.Response.OnStarting(StripUpstreamHeaders, context);
            await endpoint(context);
            return;
        }
        var now = time.GetUtcNow();
        LimitAdmission admission;
        try
        {
            admission = await Counters.AdmitAsync(limits, Guid.CreateVersion7(), now, context.RequestAborted);
        }
        catch (LimitsUnreadableException ex)
        {
            await UnreadableAsync(context, principal, endpoint, ex);
            return;
        }
        if (Interlocked.Exchange(ref _outage, 0) == 1) LogReadableAgain(logger);
        var standings = Standings(admission, principal);
        if (!admission.Admitted)
        {
            await RefuseAsync(context, principal, Refusal(admission, standings, now));
            return;
        }
        context.Response.OnStarting(AddHeaders, (context, SpendStanding.Describing(standings)));
        try
        {
            await endpoint(context);
        }
        finally
        {
            Settle(context, admission);
        }
    };

    private async Task UnreadableAsync(HttpContext context, TeamPrincipal principal, RequestDelegate endpoint, LimitsUnreadableException ex)
    {
        var first = Interlocked.Exchange(ref _outage, 1) == 0;
        if (configStore.Current.Config.Team?.WhenRedisDown == TeamConfig.Allow)
        {
            if (first) LogUnreadableAllowing(logger, ex.Message);
            Interlocked.Increment(ref _unchecked);
            context.Response.OnStarting(StripUpstreamHeaders, context);
            await endpoint(context);
            return;
        }
        if (first) LogUnreadableRefusing(logger, ex.Message);
        var (error, headers) = SpendStanding.Unreadable();
        await RefuseAsync(context, principal, (error, headers, TeamAudit.LimitsUnreadable));
    }

    private static List<SpendStanding> Standings(LimitAdmission admission, TeamPrincipal principal)
    {
        var standings = new List<SpendStanding>(admission.Limits.Count);
        for (var i = 0; i < admission.Limits.Count; i++)
        {
            var limit = admission.Limits[i];
            if (!limit.IsSpend) continue;
            var group = limit.SubjectKind == TeamLimit.Group ? principal.GroupIds.ToList().IndexOf(limit.SubjectId) : -1;
            standings.Add(new SpendStanding(limit, admission.Used[i], SpendPeriod.Of(limit.Period!, admission.At),
                group >= 0 && group < principal.GroupNames.Count ? principal.GroupNames[group] : null));
        }
        return standings;
    }

    /// <summary>
    /// A reached spend cap first (it lasts longest), else the first rate or concurrency limit at its cap; with the
    /// reason the audit log's block row gives (the limit's kind).
    /// </summary>
    private static (AnthropicError Error, IEnumerable<KeyValuePair<string, string>> Headers, string Reason) Refusal(
        LimitAdmission admission, List<SpendStanding> standings, DateTimeOffset now)
    {
        if (SpendStanding.Describing(standings) is { Reached: true } spent)
        {
            var (refusal, headers) = spent.Refusal(now);
            return (refusal, headers, TeamAudit.SpendCapReached);
        }
        for (var i = 0; i < admission.Limits.Count; i++)
        {
            if (!admission.IsBlocked(i)) continue;
            var limit = admission.Limits[i];
            var cap = LimitAdmission.CapOf(limit).ToString(CultureInfo.InvariantCulture);
            var whose = limit.SubjectKind == TeamLimit.Key ? "this key" : limit.SubjectKind == TeamLimit.Group ? "your group" : "you";
            var nextMinute = (int)(60 - now.ToUnixTimeSeconds() % 60);
            var error = limit.Kind switch
            {
                TeamLimit.ConcurrentRequests => new AnthropicError(429, ErrorTypes.RateLimit,
                    $"{cap} requests at a time is the limit for {whose}, and that many are running; send this one when one of them has finished.")
                    { RetryAfterSeconds = 1 },
                TeamLimit.TokensPerMinute => new AnthropicError(429, ErrorTypes.RateLimit,
                    $"{cap} tokens a minute is the limit for {whose}, and this minute's are used; wait {nextMinute} s, or ask your Switchboard admin to raise it.")
                    { RetryAfterSeconds = nextMinute },
                _ => new AnthropicError(429, ErrorTypes.RateLimit,
                    $"{cap} requests a minute is the limit for {whose}, and this minute's are used; wait {nextMinute} s, or ask your Switchboard admin to raise it.")
                    { RetryAfterSeconds = nextMinute },
            };
            return (error, [], limit.Kind);
        }
        throw new InvalidOperationException("refused without a limit at its cap");
    }

    private async Task RefuseAsync(
        HttpContext context, TeamPrincipal principal, (AnthropicError Error, IEnumerable<KeyValuePair<string, string>> Headers, string Reason) refusal)
    {
        team.Authenticator.Blocked(principal, refusal.Reason);
        Log.RequestFailed(logger, context.Request.Method, context.Request.Path, refusal.Error.Status, refusal.Error.Type, refusal.Error.Message);
        foreach (var (name, value) in refusal.Headers) context.Response.Headers[name] = value;
        await ErrorReplies.WriteAsync(context, refusal.Error);
    }

    /// <summary>Frees the slots and charges tokens and cost, after the reply, without holding the request up.</summary>
    private void Settle(HttpContext context, LimitAdmission admission)
    {
        var record = UsageCapture.Of(context)?.ToRecord(context, teamMode: true);
        var tokens = record is null ? 0 : record.InputTokens + record.OutputTokens + record.CacheWriteTokens;
        var cost = record is null ? 0m : (decimal)(prices().Price(record).Cost ?? 0);
        _ = SettleAsync(admission, tokens, cost);
    }

    private async Task SettleAsync(LimitAdmission admission, long tokens, decimal cost)
    {
        try
        {
            await Counters.SettleAsync(admission, tokens, cost, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The spend is in the ledger, which rebuilds a lost counter; a slot not freed comes back after its lease.
            LogNotSettled(logger, ex.GetType().Name);
        }
    }

    private static Task AddHeaders(object state)
    {
        var (context, standing) = ((HttpContext, SpendStanding?))state;
        StripUpstreamHeaders(context);
        if (standing is not null && context.Response.StatusCode < 400)
            foreach (var (name, value) in standing.AllowedHeaders()) context.Response.Headers[name] = value;
        return Task.CompletedTask;
    }

    private static Task StripUpstreamHeaders(object state)
    {
        var headers = ((HttpContext)state).Response.Headers;
        List<string>? upstream = null;
        foreach (var header in headers)
            if (header.Key.StartsWith(UpstreamRateLimitPrefix, StringComparison.OrdinalIgnoreCase)) (upstream ??= []).Add(header.Key);
        if (upstream is not null) foreach (var name in upstream) headers.Remove(name);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventIds.TeamLimitsUnreadableRefusing, LogLevel.Error,
        "Team limits cannot be checked ({Reason}): refusing requests of users with limits until Redis answers (team.whenRedisDown: refuse)")]
    private static partial void LogUnreadableRefusing(ILogger logger, string reason);

    [LoggerMessage(EventIds.TeamLimitsUnreadableAllowing, LogLevel.Warning,
        "Team limits cannot be checked ({Reason}): letting requests through unchecked until Redis answers (team.whenRedisDown: allow); counted in switchboard_team_limits_unchecked_total")]
    private static partial void LogUnreadableAllowing(ILogger logger, string reason);

    [LoggerMessage(EventIds.TeamLimitsReadableAgain, LogLevel.Information, "Team limits are checked again: Redis answers")]
    private static partial void LogReadableAgain(ILogger logger);

    [LoggerMessage(EventIds.TeamLimitsNotSettled, LogLevel.Warning,
        "Team limits: a finished request could not be charged to Redis ({Reason}); its spend is rebuilt from the ledger, its slot freed after its lease")]
    private static partial void LogNotSettled(ILogger logger, string reason);
}
