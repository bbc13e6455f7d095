using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;
using Switchboard.Team;

namespace Switchboard.Hosting.Team;

/// <summary>
/// <c>GET /api/oauth/usage</c>, the path claude.ai serves Claude Code's usage data on (gateway protocol, "Usage-limit
/// headers"): newer clients add the dollars to <c>/usage</c> and the status line. Cents and whole percents; each
/// <c>resets_at</c> is the same instant as that cap's <c>-overage-reset</c> header, since the client pairs the two only
/// when they agree to the second. A user with no spend cap gets <c>"limits": []</c> and their spend this UTC month, day
/// and week (from Monday), summed from the ledger. Written with <see cref="Utf8JsonWriter"/>: no reflection.
/// </summary>
internal sealed class OAuthUsageEndpoint(TeamServices team, TeamLimitBook book, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (TeamCaller.Of(context) is not { } principal)
        {
            await ErrorReplies.WriteAsync(context, AnthropicError.NotFound(
                "Usage is shown for a user's Switchboard key; the operator key belongs to no user."));
            return;
        }
        var now = time.GetUtcNow();
        var spendLimits = (await book.ForAsync(principal, context.RequestAborted)).Where(limit => limit.IsSpend).ToList();
        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/json";
        try
        {
            if (spendLimits.Count == 0) await WriteUncappedAsync(context, principal, now);
            else await WriteCappedAsync(context, principal, spendLimits, now);
        }
        catch (Exception ex) when (ex is LimitsUnreadableException or TeamStoreException && !response.HasStarted)
        {
            response.Headers.CacheControl = default;
            await ErrorReplies.WriteAsync(context, AnthropicError.Api(
                "Switchboard cannot read your spend right now (its Redis or PostgreSQL does not answer); try again in a minute.", 503));
        }
    }

    private async Task WriteCappedAsync(HttpContext context, TeamPrincipal principal, List<TeamLimit> limits, DateTimeOffset now)
    {
        var counters = new LimitCounters(team.Redis, new TeamSpendLedger(team.Database));
        var spent = await counters.SpentAsync(limits, now, context.RequestAborted);
        var standings = limits.Select((limit, i) => new SpendStanding(limit, spent[i], SpendPeriod.Of(limit.Period!, now), null)).ToList();
        var active = SpendStanding.Describing(standings)!;
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteStartObject("extra_usage");
        json.WriteBoolean("is_enabled", true);
        json.WriteNumber("monthly_limit", Cents(active.CapMicros));
        json.WriteNumber("used_credits", Cents(active.UsedMicros));
        json.WriteNumber("utilization", Percent(active));
        json.WriteString("currency", "USD");
        json.WriteEndObject();
        json.WriteStartArray("limits");
        foreach (var standing in standings)
        {
            json.WriteStartObject();
            json.WriteString("kind", "spend");
            json.WriteString("group", standing.Period.Adjective);
            json.WriteNumber("percent", Percent(standing));
            json.WriteString("resets_at", standing.Period.End.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("severity", standing.Severity);
            json.WriteBoolean("is_active", ReferenceEquals(standing, active));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private async Task WriteUncappedAsync(HttpContext context, TeamPrincipal principal, DateTimeOffset now)
    {
        var ledger = new TeamSpendLedger(team.Database);
        async Task<long> SpentCents(string period)
        {
            var window = SpendPeriod.Of(period, now);
            var usd = await ledger.SpentAsync(TeamLimit.User, principal.UserId, window.Start, window.End, context.RequestAborted);
            return Cents((long)Math.Round(usd * LimitCounters.MicrosPerUsd));
        }
        var (month, day, week) = (await SpentCents(TeamLimit.Month), await SpentCents(TeamLimit.Day), await SpentCents(TeamLimit.Week));
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteStartObject("extra_usage");
        json.WriteBoolean("is_enabled", true);
        // Null, not 0: a 0 would read as a $0 cap.
        json.WriteNull("monthly_limit");
        json.WriteNumber("used_credits", month);
        json.WriteNull("utilization");
        json.WriteString("currency", "USD");
        WriteWindow(json, "daily", day);
        WriteWindow(json, "weekly", week);
        json.WriteEndObject();
        json.WriteStartArray("limits");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteWindow(Utf8JsonWriter json, string name, long cents)
    {
        json.WriteStartObject(name);
        json.WriteNull("limit");
        json.WriteNumber("used_credits", cents);
        json.WriteNull("utilization");
        json.WriteEndObject();
    }

    private static long Cents(long micros) => (long)Math.Round(micros / 10_000.0, MidpointRounding.AwayFromZero);

    /// <summary>Whole percent, the headers' fraction times 100 (floored the same way), above 100 once over.</summary>
    private static long Percent(SpendStanding standing) => (long)Math.Floor(standing.Fraction * 100);
}
