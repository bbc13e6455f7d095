namespace Switchboard.Config;

/// <summary>
/// A provider key that applies to some provider types only, and how to tell it is set in an entry. Each provider
/// declares its own with its options record (<c>OllamaProviderOptions.Keys</c>, …) and its factory lists them
/// (<see cref="Providers.IProviderFactory.Options"/>); a key no factory lists applies to every type.
/// </summary>
public sealed record ProviderOption(string Key, Func<ProviderConfig, bool> IsSet);
