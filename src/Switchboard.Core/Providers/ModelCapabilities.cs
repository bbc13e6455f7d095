namespace Switchboard.Providers;

/// <summary>What a provider says one of its models can do; <see cref="Known"/> is false when it could not say.</summary>
public sealed record ModelCapabilities(bool Vision, bool Tools, bool Thinking, int? ContextLength, bool Known = true)
{
    /// <summary>Assumed when the provider cannot be asked: tools, nothing optional, no known context length.</summary>
    public static readonly ModelCapabilities Unknown = new(false, true, false, null, Known: false);
}
