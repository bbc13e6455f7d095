using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Ledger;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Sanitizing;

namespace Switchboard.Forwarding;

/// <summary>
/// Sends a request to the targets of a route decision, in order. Connection failures, timeouts, 429, 5xx and 529
/// (also when a translated stream reports them before its first event, as OpenRouter does with a 200) are retried
/// with backoff (honouring <c>retry-after</c>), then the next target is tried; all of this happens before anything
/// reaches the client, never after a reply has begun. Other errors (a bad request, a bad key) go straight
/// back: another target would not fix them. Targets that keep failing cool down (<see cref="TargetHealth"/>).
/// </summary>
internal sealed class Forwarder(TargetHealth health, TimeProvider time, ILogger logger) : IForwarder
{
    public async Task<Forwarded> ForwardAsync(
        RouteDecision decision, ProviderCall call, ConfigSnapshot snapshot, bool countTokens, ReplyUsage? usage,
        CancellationToken cancellationToken)
    {
        var retry = snapshot.Config.Retry;
        var fallbacks = new List<string>();
        AnthropicErrorException? lastError = null;
        for (var index = 0; index < decision.Targets.Count; index++)
        {
            var target = decision.Targets[index];
            var isLastTarget = index == decision.Targets.Count - 1;
            if (!isLastTarget && health.IsCoolingDown(target))
            {
                fallbacks.Add($"{target} (cooling down)");
                continue;
            }
            if (!snapshot.Providers.TryGetValue(target.Provider, out var provider))
                throw new AnthropicErrorException(AnthropicError.InvalidRequest($"Route target '{target}' names no configured provider."));
            // This target's own copy, so a fallback starts again from the call as it came. A model that is the one
            // asked leaves the copy equal to the client's request, and a pass-through still sends the client's bytes.
            var forTarget = call with { Request = call.Request with { Model = target.Model } };

            for (var attempt = 0; ; attempt++)
            {
                var canRetry = attempt < retry.Attempts;
                var canMoveOn = canRetry || !isLastTarget;
                TimeSpan? retryAfter;
                try
                {
                    // Repaired for this target alone, from the original: a fallback never gets another target's repairs.
                    var prepared = await RequestSanitizer.PrepareAsync(forTarget, provider, snapshot.Config.Providers[target.Provider], logger, cancellationToken);
                    var reply = await AttemptAsync(provider, prepared, countTokens, cancellationToken);
                    if (!canMoveOn || reply is not UpstreamHttpReply { Response: var response } || !Retries.IsRetryable((int)response.StatusCode))
                    {
                        if (reply is not UpstreamHttpReply { Response.IsSuccessStatusCode: false }) health.Succeeded(target);
                        return new Forwarded(ReplyPipeline.Watched(reply, usage, cancellationToken), target, fallbacks);
                    }
                    // The upstream's own error reply, relayed as it is if nothing else works; here, try again.
                    retryAfter = response.Headers.RetryAfter?.Delta;
                    lastError = new AnthropicErrorException(new AnthropicError((int)response.StatusCode,
                        AnthropicError.TypeForStatus((int)response.StatusCode), $"{target.Provider} answered {(int)response.StatusCode}"));
                    reply.Dispose();
                }
                catch (AnthropicErrorException ex) when (canMoveOn && Retries.IsRetryable(ex.Error.Status) && !cancellationToken.IsCancellationRequested)
                {
                    lastError = ex;
                    retryAfter = ex.Error.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
                }

                ForwarderLog.TargetFailed(logger, target.ToString(), lastError.Error.Status, attempt + 1, lastError.Error.Message);
                if (!canRetry || retryAfter > Retries.MaxRetryAfter) break;
                await Task.Delay(Retries.Backoff(retry, attempt, retryAfter), time, cancellationToken);
            }
            health.Failed(target, retry.FailuresBeforeCooldown, TimeSpan.FromSeconds(retry.CooldownSeconds));
            fallbacks.Add(target.ToString());
        }
        throw lastError ?? new AnthropicErrorException(AnthropicError.Api("Every target of this route is cooling down."));
    }

    /// <summary>
    /// One call of one provider, up to its first event. Whatever the provider throws on the way (a reset while reading
    /// an error body, a token count that does not parse) is that provider's failure, said as such, and so retryable.
    /// </summary>
    private async Task<ProviderReply> AttemptAsync(IProvider provider, ProviderCall call, bool countTokens, CancellationToken cancellationToken)
    {
        try
        {
            return countTokens
                ? await provider.CountTokensAsync(call, cancellationToken)
                : await ReplyPipeline.AttemptAsync(
                    await provider.SendMessagesAsync(call, cancellationToken), provider.Name, call.Request.Model, logger, cancellationToken);
        }
        catch (Exception ex) when (ex is not AnthropicErrorException && UpstreamFault.IsUpstream(ex, cancellationToken))
        {
            throw UpstreamFault.From(ex, provider.Name);
        }
    }
}
