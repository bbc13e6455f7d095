using Microsoft.Extensions.Logging;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Hosting;

/// <summary>How to run one server: where its home is, and what this run overrides without writing the config.</summary>
public sealed record ServerOptions
{
    public required SwitchboardHome Home { get; init; }

    /// <summary>Overrides the config's port for this run; 0 picks a free port.</summary>
    public int? Port { get; init; }
    public string? Host { get; init; }

    /// <summary>Write the pid file once listening, remove it on exit (the daemon does; tests do not).</summary>
    public bool WritePidFile { get; init; }

    /// <summary>Config changes for this run only (<c>--default-model</c> and friends).</summary>
    public RunOverrides Overrides { get; init; } = RunOverrides.None;

    /// <summary>Give memory back once a burst is over (<see cref="IdleHeapTrim"/>); the daemon does, in-process tests do not.</summary>
    public bool TrimHeapWhenIdle { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Information;
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where Claude Code keeps its login (<c>.credentials.json</c>), for discovery mode's token swap.</summary>
    public string ClaudeConfigDirectory { get; init; } = Providers.Anthropic.SubscriptionToken.DefaultDirectory;

    /// <summary>A <c>claude setup-token</c> token (<c>CLAUDE_CODE_OAUTH_TOKEN</c>), used by the swap ahead of the stored login.</summary>
    public string? SubscriptionEnvironmentToken { get; init; } = Providers.Anthropic.SubscriptionToken.EnvironmentToken;

    /// <summary>Where Claude Code keeps its login on macOS, read before <see cref="ClaudeConfigDirectory"/>; null elsewhere.</summary>
    public Providers.Anthropic.MacKeychain? Keychain { get; init; } = Providers.Anthropic.MacKeychain.ForThisMachine(TimeProvider.System);

    /// <summary>Extra provider types, beside the built-in ones.</summary>
    public IReadOnlyList<Func<UpstreamClient, IProviderFactory>> ExtraProviders { get; init; } = [];

    /// <summary>Where log lines go; the console when null.</summary>
    public ILoggerProvider? LoggerProvider { get; init; }

    public SwitchboardConfig ApplyOverrides(SwitchboardConfig config) => Overrides.Apply(config) with
    {
        Port = Port ?? config.Port,
        Host = Host ?? config.Host,
    };
}
