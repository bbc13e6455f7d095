namespace Switchboard.Ledger;

/// <summary>What a group of requests (one provider, one model, one hour…) added up to.</summary>
public sealed record UsageTotals
{
    /// <summary>The group: a provider, <c>provider:model</c>, a duty, a session, or in team mode a user, group, key or replica ("" when unknown).</summary>
    public required string Key { get; init; }

    /// <summary>The start of the time bucket, for series.</summary>
    public DateTimeOffset? Bucket { get; init; }

    public long Requests { get; init; }
    public long Errors { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public double Cost { get; init; }
    public double RequestedCost { get; init; }
    public double Savings { get; init; }

    /// <summary>Requests whose model has no known price (counted at zero cost).</summary>
    public long Unpriced { get; init; }

    /// <summary>
    /// <paramref name="group"/> with the sums both ledgers' queries select in the same order from column
    /// <paramref name="first"/>: requests, errors, the four token counts, cost, requested cost, savings, unpriced.
    /// </summary>
    internal static UsageTotals WithSums(UsageTotals group, System.Data.Common.DbDataReader reader, int first) => group with
    {
        Requests = reader.GetInt64(first),
        Errors = reader.GetInt64(first + 1),
        InputTokens = reader.GetInt64(first + 2),
        OutputTokens = reader.GetInt64(first + 3),
        CacheReadTokens = reader.GetInt64(first + 4),
        CacheWriteTokens = reader.GetInt64(first + 5),
        Cost = reader.GetDouble(first + 6),
        RequestedCost = reader.GetDouble(first + 7),
        Savings = reader.GetDouble(first + 8),
        Unpriced = reader.GetInt64(first + 9),
    };

    /// <summary>The groups added up, under <paramref name="key"/>.</summary>
    public static UsageTotals Sum(string key, IEnumerable<UsageTotals> groups) => groups.Aggregate(
        new UsageTotals { Key = key },
        (sum, group) => sum with
        {
            Requests = sum.Requests + group.Requests,
            Errors = sum.Errors + group.Errors,
            InputTokens = sum.InputTokens + group.InputTokens,
            OutputTokens = sum.OutputTokens + group.OutputTokens,
            CacheReadTokens = sum.CacheReadTokens + group.CacheReadTokens,
            CacheWriteTokens = sum.CacheWriteTokens + group.CacheWriteTokens,
            Cost = sum.Cost + group.Cost,
            RequestedCost = sum.RequestedCost + group.RequestedCost,
            Savings = sum.Savings + group.Savings,
            Unpriced = sum.Unpriced + group.Unpriced,
        });
}

public enum UsageGrouping
{
    Provider,
    Model,
    Duty,
    Session,
    RequestedModel,

    /// <summary>Team mode: the user's email.</summary>
    User,

    /// <summary>Team mode: the name of the group the request was billed to.</summary>
    Group,

    /// <summary>Team mode: the key's visible prefix.</summary>
    Key,

    /// <summary>Team mode: the replica that answered.</summary>
    Replica,
}
