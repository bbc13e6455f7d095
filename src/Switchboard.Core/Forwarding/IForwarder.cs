using Switchboard.Config;
using Switchboard.Ledger;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Forwarding;

/// <summary>
/// Sends one routed request on: to the targets of its <see cref="RouteDecision"/>, in order, with retries, backoff,
/// cool-downs and fallback, until a target gives a reply worth handing to the client. What comes back is ready to
/// write: an event stream already repaired, past its first event and watched for usage; or the upstream's own HTTP
/// reply (the Anthropic pass-through); or a token count. Reading and writing HTTP is the host's business, not this.
/// </summary>
public interface IForwarder
{
    /// <param name="decision">Where the request goes, in order, and the request as routing left it.</param>
    /// <param name="call">The request as the client sent it (its body, headers and query string).</param>
    /// <param name="snapshot">The configuration and providers this request is served with, start to end.</param>
    /// <param name="countTokens">A <c>count_tokens</c> request rather than a message.</param>
    /// <param name="usage">Where the reply's token counts are noted, when usage is recorded.</param>
    /// <exception cref="Anthropic.AnthropicErrorException">No target gave a reply; the last failure, as the client should see it.</exception>
    Task<Forwarded> ForwardAsync(
        RouteDecision decision, ProviderCall call, ConfigSnapshot snapshot, bool countTokens, ReplyUsage? usage,
        CancellationToken cancellationToken);
}

/// <summary>The reply to give the client, the target that gave it, and the targets tried before it (with why, if skipped).</summary>
public sealed record Forwarded(ProviderReply Reply, ModelTarget Target, IReadOnlyList<string> Fallbacks);
