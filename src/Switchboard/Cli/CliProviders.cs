using Switchboard.Providers;

namespace Switchboard.Cli;

/// <summary>The provider types the CLI checks config files against (no requests are sent from here).</summary>
internal static class CliProviders
{
    public static ProviderRegistry Registry { get; } = ProviderRegistry.CreateDefault(new UpstreamClient());
}
