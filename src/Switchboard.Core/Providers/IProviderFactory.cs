using Switchboard.Config;

namespace Switchboard.Providers;

/// <summary>Builds providers of one <c>type</c> from config, and checks that type's keys.</summary>
public interface IProviderFactory
{
    string Type { get; }

    /// <summary>Problems with a provider entry, as (path below the entry, what is wrong).</summary>
    IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config);

    IProvider Create(string name, ProviderConfig config);
}
