using Switchboard.Anthropic;

namespace Switchboard.Providers;

/// <summary>What a provider is asked to do: the parsed request, the body as the client sent it, and the client's
/// HTTP details that a pass-through needs. A record, so a stage that rewrites the request for one target
/// (<c>call with { Request = … }</c>) leaves the caller's call as it was for the next.</summary>
public sealed record ProviderCall
{
    public required MessagesRequest Request { get; init; }

    /// <summary>The client's body byte for byte; sent as is while <see cref="RequestChanged"/> is false.</summary>
    public required ReadOnlyMemory<byte> OriginalBody { get; init; }

    /// <summary>The request parsed from <see cref="OriginalBody"/>, as parsed: what <see cref="Request"/> is compared with.</summary>
    public required MessagesRequest OriginalRequest { get; init; }

    /// <summary>
    /// Whether <see cref="Request"/> is no longer the one <see cref="OriginalBody"/> says, so the body must be written
    /// anew. Derived by value (a record's equality), not by reference: a stage that copies the request without
    /// changing it (a target whose model is the one asked for) still leaves the client's bytes to be sent as they
    /// are. Every stage copies what it changes, and a changed nested part is a new object, so the comparison cannot
    /// miss a change.
    /// </summary>
    public bool RequestChanged => Request != OriginalRequest;

    /// <summary>The client's query string, including the leading '?', or empty.</summary>
    public string QueryString { get; init; } = "";

    /// <summary>The client's headers, one entry per value; credentials meant for Switchboard already removed.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> ClientHeaders { get; init; }

    /// <summary>A rough input token count (about four bytes a token), for upstreams that count only at the end.</summary>
    public int EstimatedInputTokens => Math.Max(1, OriginalBody.Length / 4);
}
