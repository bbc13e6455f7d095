namespace Switchboard.Providers;

/// <summary>
/// What one provider type is, whatever an entry of it says: its config <c>type</c>, what the CLI must know of it when
/// it wires Claude Code, and how its factory is built. Each provider declares its own next to its factory
/// (<c>AnthropicProviderFactory.Kind</c>, …) and <see cref="ProviderKinds"/> lists them once, so the CLI asks the kind
/// instead of comparing type names (LiteLLM's per-provider <c>get_supported_openai_params</c> is the idea).
/// </summary>
internal sealed record ProviderKind
{
    public required string Type { get; init; }

    /// <summary>
    /// Whether this is Anthropic's own API, whose Claude models Claude Code knows by name: their windows, its default
    /// model, the picker's list. The CLI tells Claude Code nothing about them and offers Anthropic's models on it.
    /// </summary>
    public bool ClaudeCodeKnowsItsModels { get; init; }

    /// <summary>
    /// Whether an entry without an <c>apiKey</c> signs with the client's own Anthropic credential (the Claude login,
    /// <c>ANTHROPIC_API_KEY</c>), so that <c>switchboard code</c> must check there is one before it starts Claude Code.
    /// </summary>
    public bool ForwardsClientLogin { get; init; }

    /// <summary>
    /// The command that installs <c>model</c> on the provider's server (<c>ollama pull qwen3:8b</c>); null where the user
    /// does not install models. Where it is set, the models the provider lists are the installed ones, which the CLI
    /// bridges into Claude Code's slots.
    /// </summary>
    public Func<string, string>? InstallCommand { get; init; }

    /// <summary>Builds the type's factory from what every factory may need.</summary>
    public required Func<ProviderServices, IProviderFactory> CreateFactory { get; init; }
}
