using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Config;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Cli;

/// <summary>
/// The window <c>switchboard code</c> tells Claude Code for the non-Anthropic models it binds. Claude Code 2.1.332
/// assumes 1M tokens for a model id it does not know and never compacts a 32k local model in time; its gateway
/// discovery keeps only <c>id</c>/<c>display_name</c>/<c>description</c> of <c>GET /v1/models</c> (the
/// <c>max_input_tokens</c> cache is off in that build), but it reads <see cref="Variable"/> as the window of every
/// unknown model, and never for a Claude model. So the variable carries the smallest window among the bound models.
/// </summary>
/// <remarks>
/// Claude Code then compacts at <c>window - min(max output, 20000) - 13000</c> tokens and refuses to send ("Prompt is
/// too long") from <c>window - min(max output, 20000) - 3000</c>. An unknown model's max output is 32000, so a 32k
/// window leaves a negative threshold ("compaction cannot help") and a first prompt of 10k tokens is refused:
/// <see cref="OutputCap"/> gives such a window's replies an eighth of it instead.
/// </remarks>
internal static class ContextWindows
{
    public const string Variable = "CLAUDE_CODE_MAX_CONTEXT_TOKENS";

    public const string OutputVariable = "CLAUDE_CODE_MAX_OUTPUT_TOKENS";

    /// <summary>What Claude Code keeps free for a reply at most, whatever the model's max output.</summary>
    private const int ClaudeCodesOutputReserve = 20000;

    /// <summary>An eighth of <paramref name="window"/> for replies, when that is less than Claude Code would keep; else null.</summary>
    public static int? OutputCap(int window) => window / 8 < ClaudeCodesOutputReserve ? window / 8 : null;

    /// <summary>What the providers of <paramref name="targets"/> (other than <c>anthropic</c>) list as each model's window.</summary>
    public static async Task<IReadOnlyDictionary<ModelTarget, int>> ReportedAsync(
        SwitchboardConfig config, IEnumerable<ModelTarget> targets, CancellationToken cancellationToken)
    {
        var windows = new Dictionary<ModelTarget, int>();
        var providers = targets.Select(target => target.Provider).Distinct(StringComparer.Ordinal)
            .Where(name => config.Providers.TryGetValue(name, out var provider) && !ClaudeCodeKnows(provider)).ToList();
        if (providers.Count == 0) return windows;
        using var upstream = new UpstreamClient();
        var snapshot = new ConfigSnapshot(config, ProviderRegistry.CreateDefault(upstream, NullLoggerFactory.Instance), version: 1);
        foreach (var name in providers)
        {
            if (snapshot.Providers[name] is not IModelLister lister) continue;
            try
            {
                foreach (var model in await lister.ListModelsAsync([], cancellationToken))
                    if (model.ContextWindow is { } window) windows[new ModelTarget(name, model.Id)] = window;
            }
            catch (Exception ex) when (ex is Anthropic.AnthropicErrorException or HttpRequestException or OperationCanceledException
                                           or System.Text.Json.JsonException or IOException)
            {
                // Not answering: its models' windows stay unknown, and Claude Code's own assumption stands.
            }
        }
        return windows;
    }

    /// <summary>
    /// The smallest known window among the non-Anthropic <paramref name="bound"/> models: <c>perModel.*.contextWindow</c>,
    /// else what the provider reported; null when none is known.
    /// </summary>
    public static int? Smallest(SwitchboardConfig config, IEnumerable<ModelTarget> bound, IReadOnlyDictionary<ModelTarget, int> reported) =>
        bound.Where(target => config.Providers.TryGetValue(target.Provider, out var provider) && !ClaudeCodeKnows(provider))
            .Select(target => config.Providers[target.Provider].ContextWindowOf(target.Model)
                              ?? (reported.TryGetValue(target, out var window) ? window : (int?)null))
            .Where(window => window is > 0)
            .Min();

    private static bool ClaudeCodeKnows(ProviderConfig provider) => ProviderKinds.Of(provider)?.ClaudeCodeKnowsItsModels == true;
}
