namespace Switchboard.Ledger;

/// <summary>
/// One Messages request as the ledger keeps it: where it went, what it used, how long it took and what it cost.
/// Costs are US dollars, estimated from the price table; null when the model has no known price.
/// </summary>
public sealed record RequestRecord
{
    public required DateTimeOffset Time { get; init; }

    /// <summary>Claude Code's session (<c>x-claude-code-session-id</c>, else from <c>metadata.user_id</c>).</summary>
    public string? Session { get; init; }

    /// <summary>Why the request went where it did (<c>default</c>, <c>background</c>, <c>think</c>, …).</summary>
    public string Duty { get; init; } = Routing.Duties.Default;

    /// <summary>The routing rule that matched, if any.</summary>
    public string? Rule { get; init; }

    public required string Provider { get; init; }
    public required string Model { get; init; }

    /// <summary>The model the client asked for, as it sent it.</summary>
    public required string RequestedModel { get; init; }

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }

    /// <summary>Milliseconds until the response began; null when it never did.</summary>
    public long? TimeToFirstByteMs { get; init; }
    public long LatencyMs { get; init; }

    /// <summary>The HTTP status the client got (499 when the client went away first).</summary>
    public int Status { get; init; }

    /// <summary>The Anthropic error type when the request failed, including mid-stream; null on success.</summary>
    public string? Error { get; init; }

    public int Fallbacks { get; init; }
    public bool Streamed { get; init; }

    public double? Cost { get; init; }

    /// <summary>What the requested Claude model would have cost for the same tokens.</summary>
    public double? RequestedCost { get; init; }

    /// <summary>Requested cost minus actual cost, when both are known.</summary>
    public double? Savings => Cost is { } cost && RequestedCost is { } requested ? requested - cost : null;

    /// <summary>Team mode: who asked (the key's user), with which key, billed to which group; null on the local path.</summary>
    public Guid? UserId { get; init; }
    public Guid? KeyId { get; init; }
    public Guid? GroupId { get; init; }

    /// <summary>Team mode: the replica that answered, as the team ledger read it back (its writer stamps its own).</summary>
    public string? Replica { get; init; }

    public bool Failed => Status >= 400 || Error is not null;
}
