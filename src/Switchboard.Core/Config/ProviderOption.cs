namespace Switchboard.Config;

/// <summary>
/// A provider key that applies to some provider types only, and how to tell it is set in an entry. Each factory lists
/// the ones it takes (<see cref="Providers.IProviderFactory.Options"/>); a key no factory lists applies to every type.
/// </summary>
public sealed record ProviderOption(string Key, Func<ProviderConfig, bool> IsSet)
{
    public static readonly ProviderOption Relay = new("relay", config => config.Relay is not null);
    public static readonly ProviderOption Api = new("api", config => config.Api is not null);
    public static readonly ProviderOption NumCtx = new("numCtx", config => config.NumCtx is not null);
    public static readonly ProviderOption StrictThinking = new("strictThinking", config => config.StrictThinking is not null);
    public static readonly ProviderOption Region = new("region", config => config.Region is not null);
    public static readonly ProviderOption Profile = new("profile", config => config.Profile is not null);
    public static readonly ProviderOption Preset = new("preset", config => config.Preset is not null);
    public static readonly ProviderOption Transformers = new("transformers", config => config.Transformers is not null);

    public static readonly ProviderOption PerModelTransformers = new("perModel.*.transformers",
        config => config.PerModel?.Values.Any(settings => settings.Transformers is not null) == true);
}
