using Switchboard.Config;

namespace Switchboard.Hosting;

/// <summary>
/// The key clients must present (<c>apiKey</c> in config), as it stands in the daemon's environment now. A key that
/// is configured but comes out empty (<c>"$SWITCHBOARD_API_KEY"</c> with the variable unset) does not turn
/// authentication off: it locks every protected endpoint, and says which variable to set.
/// </summary>
internal sealed record ClientKey(string? Value, string? Configured)
{
    public static ClientKey Of(SwitchboardConfig config) =>
        new(string.IsNullOrEmpty(config.ApiKey) ? null : EnvExpander.Expand(config.ApiKey), config.ApiKey);

    /// <summary>Whether clients must present a key at all.</summary>
    public bool Required => !string.IsNullOrEmpty(Configured);

    /// <summary>Configured, but nothing to compare with: every protected request is refused.</summary>
    public bool IsEmpty => Required && string.IsNullOrEmpty(Value);

    /// <summary>What to tell the user when <see cref="IsEmpty"/>: which variable is empty and what to do.</summary>
    public string EmptyProblem
    {
        get
        {
            var names = EnvExpander.Names(Configured ?? "");
            var variables = names.Count == 0 ? "it" : string.Join(", ", names.Distinct());
            return $"apiKey is \"{Configured}\" but {variables} {(names.Count > 1 ? "are" : "is")} empty in the daemon's " +
                   $"environment, so Switchboard refuses every request rather than serve without a key. Set {variables} " +
                   "where the daemon starts and restart it (switchboard restart), or remove apiKey from the config.";
        }
    }
}
