namespace Switchboard.Config;

/// <summary>
/// How <c>switchboard code</c> sets up Claude Code (<c>claudeCode</c> in config): which models its picker slots
/// (Opus, Sonnet, Haiku, Custom) stand for, whether routed models are discovered into <c>/model</c>, and how it runs.
/// </summary>
/// <remarks>The defaults are constructor parameters so that the source-generated reader keeps them (see <see cref="SwitchboardConfig"/>).</remarks>
public sealed record ClaudeCodeConfig(string Bridge = ClaudeCodeConfig.Conservative, bool Discovery = true)
{
    public const string Conservative = "conservative";
    public const string Aggressive = "aggressive";
    public const string Off = "off";

    /// <summary>
    /// <c>conservative</c> (default): the Custom slot gets the first local model; <c>aggressive</c>: Sonnet and Opus
    /// get the next two as well; <c>off</c>: only explicit <see cref="Slots"/>. Haiku is never bridged.
    /// </summary>
    public string Bridge { get; init; } = Bridge;

    /// <summary>Gateway model discovery with the subscription (a sentinel token the router swaps for the OAuth token).</summary>
    public bool Discovery { get; init; } = Discovery;

    /// <summary>Explicit slot bindings; they win over bridging.</summary>
    public SlotBindings? Slots { get; init; }

    /// <summary>
    /// The model behind the Haiku slot, where Claude Code runs its background safety classifier, titles and summaries.
    /// Unset: Anthropic's own Haiku, which keeps those working.
    /// </summary>
    public string? InternalClassifierModel { get; init; }

    /// <summary>For CI, Docker and scripts: no prompts, no terminal assumptions.</summary>
    public bool NonInteractive { get; init; }
}

/// <summary>Targets (<c>provider:model</c>) for Claude Code's model picker slots.</summary>
public sealed record SlotBindings
{
    public string? Opus { get; init; }
    public string? Sonnet { get; init; }
    public string? Haiku { get; init; }
    public string? Custom { get; init; }
}
