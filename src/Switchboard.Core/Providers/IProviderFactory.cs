using Switchboard.Config;

namespace Switchboard.Providers;

/// <summary>
/// Builds providers of one <c>type</c> from config, and answers for what that type takes and is. What the CLI needs of
/// the type without a factory at hand (whether Claude Code knows its models, …) is its <see cref="ProviderKind"/>, which
/// the factory declares beside it.
/// </summary>
public interface IProviderFactory
{
    string Type { get; }

    /// <summary>The keys of a provider entry that apply to this type only (or to it and some others).</summary>
    IReadOnlyList<ProviderOption> Options { get; }

    /// <summary>Problems with a provider entry, as (path below the entry, what is wrong).</summary>
    IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config);

    /// <summary>
    /// Whether the entry runs models itself on this machine or a private network, so its tokens cost nothing. A
    /// vendor's API at a local address is a proxy in front of the vendor, and is not local.
    /// </summary>
    bool IsLocal(ProviderConfig config);

    IProvider Create(string name, ProviderConfig config);
}
