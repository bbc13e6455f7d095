namespace Switchboard.Sanitizing;

/// <summary>
/// What one target (a provider and a model) accepts, as far as a conversation that crossed providers is concerned:
/// which tool-use ids, whose thinking, images or not, and which of Anthropic's own fields. Built by
/// <see cref="TargetProfiles"/> from the provider's type and the model's capabilities.
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
