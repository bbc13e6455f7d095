namespace Switchboard.Team;

/// <summary>
/// One row of the <c>limits</c> table: a cap on a user, a group or a key. Spend caps (<see cref="SpendUsd"/>) are
/// USD per calendar <see cref="Period"/>; the rate limits count per minute; concurrency counts requests in flight.
/// </summary>
internal sealed record TeamLimit(Guid Id, string SubjectKind, Guid SubjectId, string Kind, string? Period, decimal Amount)
{
    public const string User = "user";
    public const string Group = "group";
    public const string Key = "key";

    public const string SpendUsd = "spend_usd";
    public const string RequestsPerMinute = "requests_per_minute";
    public const string TokensPerMinute = "tokens_per_minute";
    public const string ConcurrentRequests = "concurrent_requests";

    public const string Day = "day";
    public const string Week = "week";
    public const string Month = "month";

    public static readonly string[] SubjectKinds = [User, Group, Key];
    public static readonly string[] Kinds = [SpendUsd, RequestsPerMinute, TokensPerMinute, ConcurrentRequests];
    public static readonly string[] Periods = [Day, Week, Month];

    public bool IsSpend => Kind == SpendUsd;
}
