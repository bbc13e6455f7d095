using Switchboard.Sanitizing;

namespace Switchboard.Providers;

/// <summary>
/// One configured upstream. A provider turns an Anthropic request into a reply: normally a stream of Anthropic
/// events; for an Anthropic-format upstream relayed untouched, the upstream's own HTTP response.
/// </summary>
public interface IProvider
{
    string Name { get; }

    /// <summary>
    /// What this provider accepts for <paramref name="model"/> (tool-use ids, thinking, system turns, Anthropic's own
    /// fields), before the config's <c>vision</c> and the model catalog have their say.
    /// </summary>
    TargetProfile Profile(string model);

    /// <summary>
    /// Sends a Messages request. Failures before a reply exists are thrown as
    /// <see cref="Anthropic.AnthropicErrorException"/>; failures mid-stream surface from the event stream.
    /// </summary>
    Task<ProviderReply> SendMessagesAsync(ProviderCall call, CancellationToken cancellationToken);

    Task<ProviderReply> CountTokensAsync(ProviderCall call, CancellationToken cancellationToken);
}
