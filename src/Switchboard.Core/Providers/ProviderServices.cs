using Microsoft.Extensions.Logging;

namespace Switchboard.Providers;

/// <summary>What a provider factory may be built with; each takes the parts it needs.</summary>
internal sealed record ProviderServices(UpstreamClient Upstream, ILoggerFactory Loggers, Anthropic.SubscriptionToken? Subscription);
