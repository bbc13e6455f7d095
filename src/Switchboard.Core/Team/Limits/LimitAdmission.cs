using StackExchange.Redis;

namespace Switchboard.Team;

/// <summary>
/// What <see cref="LimitCounters.AdmitAsync"/> found: each applicable limit with its counter's value before this request
/// (micro-USD for spend, requests or tokens otherwise) and whether it let the request through. An admitted request
/// holds its concurrency slots until <see cref="LimitCounters.SettleAsync"/>.
/// </summary>
internal sealed record LimitAdmission(Guid RequestId, DateTimeOffset At, IReadOnlyList<TeamLimit> Limits, RedisKey[] Keys, long[] Used, bool Admitted)
{
    /// <summary>A limit's amount in its counter's unit (micro-USD for spend).</summary>
    public static long CapOf(TeamLimit limit) =>
        limit.IsSpend ? (long)Math.Round(limit.Amount * LimitCounters.MicrosPerUsd) : (long)Math.Floor(limit.Amount);

    public bool IsBlocked(int index) => Used[index] >= CapOf(Limits[index]);
}
