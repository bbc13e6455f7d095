using System.Text.Json.Serialization.Metadata;

namespace Switchboard.Config;

/// <summary>
/// A provider key that applies to some provider types only, and how to tell it is set in an entry. Each provider
/// declares its own with its options record (<c>OllamaProviderOptions.Keys</c>, …) and its factory lists them
/// (<see cref="Providers.IProviderFactory.Options"/>); a key no factory lists applies to every type.
/// </summary>
public record ProviderOption(string Key, Func<ProviderConfig, bool> IsSet)
{
    /// <summary>
    /// The kind of value the key takes, for a key of the entry itself (<see cref="ProviderConfig.TypeOptions"/>); null
    /// for one inside another key (<c>perModel.*.transformers</c>), which that key's own type reads.
    /// </summary>
    public virtual JsonTypeInfo? Value => null;
}
