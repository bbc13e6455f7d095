using Microsoft.Extensions.Logging;
using Switchboard.Ledger;
using Switchboard.Providers;
using Switchboard.Sanitizing;

namespace Switchboard.Forwarding;

/// <summary>
/// The stages an event stream passes on its way from a provider to the host, in the order each needs: repaired
/// (<see cref="StreamRepair"/>) so even the first event is well-formed, held up to its first event
/// (<see cref="FirstEvent"/>) so a failure there is still the target's and retryable, and, once a target's reply is
/// the one the client gets, watched for usage. A relayed HTTP reply and a token count pass through untouched.
/// </summary>
internal static class ReplyPipeline
{
    /// <summary>One attempt's reply, repaired and past its first event; throws (retryably) when that first event is a failure.</summary>
    public static Task<ProviderReply> AttemptAsync(
        ProviderReply reply, string provider, string? model, ILogger logger, CancellationToken cancellationToken) =>
        FirstEvent.AwaitAsync(Repaired(reply, provider, model, logger), cancellationToken);

    /// <summary>The reply the client gets, its events read for token counts as they pass.</summary>
    public static ProviderReply Watched(ProviderReply reply, ReplyUsage? usage, CancellationToken cancellationToken) =>
        usage is not null && reply is EventStreamReply events ? new EventStreamReply(usage.Watch(events.Events, cancellationToken)) : reply;

    private static ProviderReply Repaired(ProviderReply reply, string provider, string? model, ILogger logger) =>
        reply is EventStreamReply events ? new EventStreamReply(new StreamRepair(provider, model, logger).Wrap(events.Events)) : reply;
}
