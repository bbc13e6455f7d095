namespace Switchboard.Sanitizing;

/// <summary>
/// What one target (a provider and a model) accepts, as far as a conversation that crossed providers is concerned:
/// which tool-use ids, whose thinking, images or not, and which of Anthropic's own fields. Each provider answers
/// with its own (<see cref="Providers.IProvider.Profile"/>), usually one of the shared starting points below;
/// <see cref="TargetProfiles"/> adds what the config and the model catalog say of images.
/// </summary>
public sealed record TargetProfile
{
    /// <summary>The provider's name, for log lines.</summary>
    public required string Provider { get; init; }

    public required string Model { get; init; }

    public required TargetWire Wire { get; init; }

    /// <summary>The ids the target takes for <c>tool_use</c>; null when it takes any.</summary>
    public ToolIdRule? ToolIds { get; init; }

    /// <summary>Whether the target checks every thinking signature it is shown (Anthropic does).</summary>
    public bool VerifiesThinkingSignatures { get; init; }

    /// <summary>Whether the model can see images.</summary>
    public bool Vision { get; init; } = true;

    /// <summary>Whether <c>role: "system"</c> turns may stand mid-conversation.</summary>
    public bool AcceptsMidConversationSystem { get; init; } = true;

    /// <summary>Whether <c>tool_choice</c> can force a tool (<c>any</c>, <c>tool</c>).</summary>
    public bool CanForceToolChoice { get; init; } = true;

    /// <summary>Whether <c>output_config.format</c> (a JSON schema the reply must follow) is enforced.</summary>
    public bool HonorsStructuredOutputs { get; init; }

    /// <summary>
    /// Whether the upstream runs auto mode's safety check on the request (its top-level <c>safeguards</c>), answering
    /// with <c>safeguard_results</c>: the Anthropic API does; a model elsewhere would ignore the field, so the check
    /// would silently not happen.
    /// </summary>
    public bool RunsSafeguards { get; init; }

    /// <summary>Anthropic itself, or its Messages body through another door: everything goes up, signatures are checked.</summary>
    public static TargetProfile ForAnthropic(string provider, string model) => new()
    {
        Provider = provider, Model = model, Wire = TargetWire.Anthropic, ToolIds = ToolIdRule.Anthropic,
        VerifiesThinkingSignatures = true, HonorsStructuredOutputs = true, RunsSafeguards = true,
    };

    /// <summary>A translating provider: its mapper decides what reaches the wire; ids, images and pairing are repaired here.</summary>
    public static TargetProfile ForTranslation(string provider, string model) => new()
    {
        Provider = provider, Model = model, Wire = TargetWire.Translated,
    };
}

/// <summary>How the request reaches the target.</summary>
public enum TargetWire
{
    /// <summary>Anthropic itself (directly, or Claude through Bedrock's InvokeModel): the body goes up as it is.</summary>
    Anthropic,

    /// <summary>Someone else's Messages API (Ollama's <c>/v1/messages</c>): the body goes up, but only what it knows.</summary>
    AnthropicCompatible,

    /// <summary>Translated to another protocol; the provider's mapper sends only the fields it maps.</summary>
    Translated,
}
