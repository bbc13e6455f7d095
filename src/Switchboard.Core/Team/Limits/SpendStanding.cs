using System.Globalization;
using Switchboard.Anthropic;

namespace Switchboard.Team;

/// <summary>
/// Where a caller stands against one spend cap, and how Claude Code is told (the gateway protocol's "Usage-limit
/// headers", Claude Code 2.1.225 and later): the <c>anthropic-ratelimit-unified-*</c> headers on a reply it allows, and
/// the 429 <c>billing_error</c> once the cap is reached. The client shows its "You've used NN% of your usage credits"
/// notice when <c>-overage-surpassed-threshold</c> is sent (past 75% and past 95%), and prints the 429's message as it
/// is when <c>-representative-claim</c> and <c>-overage-status</c> are left off it.
/// </summary>
internal sealed record SpendStanding(TeamLimit Limit, long UsedMicros, SpendPeriod Period, string? GroupName)
{
    public const string BillingError = "billing_error";
    public const string Prefix = "anthropic-ratelimit-unified-";

    public long CapMicros => LimitAdmission.CapOf(Limit);
    public bool Reached => UsedMicros >= CapMicros;
    public double Fraction => CapMicros == 0 ? 1 : (double)UsedMicros / CapMicros;
    public bool IsGroupPool => Limit.SubjectKind == TeamLimit.Group;

    /// <summary>
    /// The cap to describe among <paramref name="standings"/>: once any is reached, the reached one that resets last
    /// (the one that keeps the caller blocked longest); otherwise the fullest. Null when there is no spend cap.
    /// </summary>
    public static SpendStanding? Describing(IReadOnlyList<SpendStanding> standings)
    {
        SpendStanding? chosen = null;
        foreach (var standing in standings)
        {
            if (chosen is null) chosen = standing;
            else if (standing.Reached != chosen.Reached) { if (standing.Reached) chosen = standing; }
            else if (standing.Reached ? standing.Period.End > chosen.Period.End : standing.Fraction > chosen.Fraction) chosen = standing;
        }
        return chosen;
    }

    /// <summary>The threshold passed (<c>0.95</c>, <c>0.75</c>), or null below 75%.</summary>
    public string? SurpassedThreshold => Fraction >= 0.95 ? "0.95" : Fraction >= 0.75 ? "0.75" : null;

    /// <summary>
    /// How a meter should colour this row in <c>GET /api/oauth/usage</c>: the same grading Anthropic's own gateway
    /// uses (critical once reached or past 95%, warning past 75%), so clients never grade it themselves.
    /// </summary>
    public string Severity => Reached || Fraction > 0.95 ? "critical" : Fraction > 0.75 ? "warning" : "normal";

    /// <summary>The headers of an allowed reply: the fraction in two decimals, kept below 1 while requests are allowed.</summary>
    public IEnumerable<KeyValuePair<string, string>> AllowedHeaders()
    {
        var status = SurpassedThreshold is null ? "allowed" : "allowed_warning";
        var utilization = Math.Min(Math.Floor(Fraction * 100) / 100, 0.99).ToString("0.00", CultureInfo.InvariantCulture);
        var reset = Period.End.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        yield return new(Prefix + "status", status);
        yield return new(Prefix + "representative-claim", "overage");
        yield return new(Prefix + "overage-status", status);
        yield return new(Prefix + "overage-utilization", utilization);
        if (SurpassedThreshold is { } threshold) yield return new(Prefix + "overage-surpassed-threshold", threshold);
        yield return new(Prefix + "reset", reset);
        yield return new(Prefix + "overage-reset", reset);
        if (IsGroupPool) yield return new(Prefix + "overage-scope", "group_pool");
    }

    /// <summary>The 429 refusing a request once the cap is reached, without <c>-representative-claim</c> and <c>-overage-status</c>.</summary>
    public (AnthropicError Error, IEnumerable<KeyValuePair<string, string>> Headers) Refusal(DateTimeOffset now)
    {
        var reset = Period.End.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var seconds = (int)Math.Max(1, Math.Ceiling((Period.End - now).TotalSeconds));
        var whose = IsGroupPool ? $"group {GroupName ?? Limit.SubjectId.ToString()}'s {Period.Adjective} budget" : $"your {Period.Adjective} spend limit";
        var message = $"{whose} reached ({Dollars(UsedMicros)} of {Dollars(CapMicros)}) · resets {ResetText} · ask your Switchboard admin for an increase";
        var error = new AnthropicError(429, BillingError, char.ToUpperInvariant(message[0]) + message[1..]) { RetryAfterSeconds = seconds, ShouldRetry = false };
        List<KeyValuePair<string, string>> headers =
        [
            new(Prefix + "status", "rejected"),
            new(Prefix + "reset", reset),
            new(Prefix + "overage-reset", reset),
            new(Prefix + "overage-utilization", "1"),
            new(Prefix + "overage-surpassed-threshold", "1"),
            new(Prefix + "overage-period", Period.Adjective),
            new(Prefix + "overage-disabled-reason", "org_spend_cap_reached"),
        ];
        if (IsGroupPool) headers.Add(new(Prefix + "overage-scope", "group_pool"));
        return (error, headers);
    }

    /// <summary>The refusal when the counters cannot be read and <c>team.whenRedisDown</c> is <c>refuse</c>: the protocol's fetch_error shape.</summary>
    public static (AnthropicError Error, IEnumerable<KeyValuePair<string, string>> Headers) Unreadable() => (
        new AnthropicError(429, BillingError,
            "Switchboard cannot check your usage limits right now (its shared counter store does not answer), so it is not " +
            "sending requests on; try again in a minute, and tell your Switchboard admin if it goes on.") { ShouldRetry = false },
        [new(Prefix + "overage-disabled-reason", "fetch_error")]);

    /// <summary>When the cap resets, as the message says it: <c>Dec 4</c> (midnight UTC, the start of that day).</summary>
    public string ResetText => Period.End.ToString("MMM d", CultureInfo.InvariantCulture) + ", 00:00 UTC";

    private static string Dollars(long micros) => ((decimal)micros / LimitCounters.MicrosPerUsd).ToString("$0.00", CultureInfo.InvariantCulture);
}
