using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Cli.Editing;

/// <summary>
/// The models a menu offers, numbered from 1: each listing provider's installed models (Ollama's), then each
/// provider's configured <c>models</c>, then Anthropic's current models. Every one is a config target,
/// <c>provider:model</c> (<c>ollama-local:qwen3:8b</c>), as routes are written, even for <c>defaultProvider</c>: a bare
/// <c>qwen3:8b</c> is what <c>/model</c> takes, but the config's validator refuses it (issue 15, item 1).
/// </summary>
internal static class ModelChoices
{
    /// <summary>Anthropic's current models (November 2026), served through the subscription or key Claude Code already has.</summary>
    public static readonly IReadOnlyList<string> Anthropic = ["claude-haiku-5-5", "claude-sonnet-5-5", "claude-opus-5-5"];

    private static readonly TimeSpan ListingBudget = TimeSpan.FromSeconds(3);

    public sealed record Choice(string Target, string Source);

    public static async Task<IReadOnlyList<Choice>> ListAsync(SwitchboardConfig config, CancellationToken cancellationToken)
    {
        using var upstream = new UpstreamClient();
        var registry = ProviderRegistry.CreateDefault(upstream, NullLoggerFactory.Instance);
        var snapshot = new ConfigSnapshot(config, registry, version: 1);
        var choices = new List<Choice>();
        foreach (var (name, provider) in snapshot.Providers)
        {
            if (provider is not IModelCatalog catalog) continue;
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            budget.CancelAfter(ListingBudget);
            try
            {
                foreach (var model in await catalog.ListModelsAsync([], budget.Token))
                    choices.Add(new Choice(Target(name, model.Id), $"installed in {name}"));
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException
                                           or Switchboard.Anthropic.AnthropicErrorException)
            {
                // An Ollama that is not running lists nothing; the menu still offers everything else.
            }
        }
        foreach (var (name, provider) in config.Providers)
        foreach (var model in provider.Models ?? [])
            choices.Add(new Choice(Target(name, model), $"configured in {name}"));
        var anthropic = config.Providers.FirstOrDefault(pair => ProviderKinds.Of(pair.Value)?.ClaudeCodeKnowsItsModels == true).Key;
        if (anthropic is not null)
            foreach (var model in Anthropic)
                choices.Add(new Choice(Target(anthropic, model), "Anthropic"));
        return choices.DistinctBy(choice => choice.Target, StringComparer.Ordinal).ToList();
    }

    private static string Target(string provider, string model) => new ModelTarget(provider, model).ToString();
}
