using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;
using Switchboard.Hosting.Team;
using Switchboard.Config;
using Microsoft.Extensions.Logging;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Team;

namespace Switchboard.Hosting;

/// <summary><c>/</c>, <c>/health</c>, <c>/api/hello</c> and <c>/v1/models</c>: what the server is and what it serves.</summary>
internal sealed class InfoEndpoints(ConfigStore configStore, Func<string> url, ILogger logger, bool setupTokenLogin,
    TeamHealthProbe? team = null, GroupPolicyCache? policies = null)
{
    /// <summary>Claude Code abandons discovery after 3 s; a provider slower than this is left out of the list.</summary>
    public static readonly TimeSpan ListingBudget = TimeSpan.FromMilliseconds(2500);

    public static readonly string Version =
        typeof(InfoEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly long _startedAt = Stopwatch.GetTimestamp();

    public Task RootAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(new ServerInfo("switchboard", Version), HostJson.Default.ServerInfo);

    /// <summary>Claude Code probes this at start-up; an empty 200 is all it needs.</summary>
    public Task HelloAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        return Task.CompletedTask;
    }

    public async Task HealthAsync(HttpContext context)
    {
        var snapshot = configStore.Current;
        var problems = configStore.Problems;
        var key = ClientKey.Of(snapshot.Config);
        List<string>? warnings = key.IsEmpty ? [key.EmptyProblem] : null;
        // Public, so a locked daemon can still say why: anyone may learn that it runs and how it is. Where the config
        // file is, its problems and the providers (URLs with their logins masked) are for callers with the key.
        // In team mode a key-less config would let anyone in: there, only the operator key sees the details.
        var full = (team is null || key.Required) && ClientAuth.Check(context.Request.Headers, key) is null;
        var teamHealth = team is null ? null : await team.CheckAsync(context.RequestAborted);
        var report = new HealthReport
        {
            Status = problems.Count == 0 && warnings is null && teamHealth is null or { Postgres: true, Redis: true } ? "ok" : "degraded",
            Warnings = warnings,
            Version = Version,
            UptimeSeconds = (long)Stopwatch.GetElapsedTime(_startedAt).TotalSeconds,
            Pid = Environment.ProcessId,
            Url = url(),
            Config = new ConfigHealth(full ? configStore.File : null, problems.Count == 0, snapshot.Version,
                full ? problems.Select(problem => problem.ToString()).ToList() : null),
            Providers = full
                ? snapshot.Config.Providers.Select(pair => new ProviderSummary(pair.Key, pair.Value.Type, Secrets.MaskUrl(pair.Value.BaseUrl))).ToList()
                : null,
            SetupTokenLogin = setupTokenLogin,
            Team = teamHealth,
        };
        await context.Response.WriteAsJsonAsync(report, HostJson.Default.HealthReport);
    }

    /// <summary>
    /// Every model Switchboard can route to, in Anthropic's list shape: each provider's configured <c>models</c>, and
    /// what providers that list their own (Ollama's installed models; Anthropic's, when the client or config carries a
    /// credential) report, all asked at once within <see cref="ListingBudget"/>. Ids are discoverable (see
    /// <see cref="ModelIds"/>): they survive Claude Code's discovery filter and route back when sent as model.
    /// </summary>
    private readonly ModelListWarnings _warnings = new();

    public async Task ModelsAsync(HttpContext context)
    {
        var snapshot = configStore.Current;
        var config = snapshot.Config;
        // Team mode: a signed-in user sees only what their groups may use (gateway protocol, "Models").
        var policy = policies is null ? null : await policies.ForAsync(TeamCaller.Of(context), snapshot, context.RequestAborted);
        var clientHeaders = ClientAuth.ForwardableHeaders(context, ClientKey.Of(config).Value);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        budget.CancelAfter(ListingBudget);
        var listed = await Task.WhenAll(config.Providers.Select(async pair =>
        {
            var (name, provider) = (pair.Key, pair.Value);
            var models = (provider.Models ?? []).Select(model => new ListedModel(model)).ToList();
            if (snapshot.Providers[name] is IModelLister lister)
                models.AddRange(await ListQuietlyAsync(name, lister, clientHeaders, budget.Token));
            return models.DistinctBy(model => model.Id, StringComparer.Ordinal)
                .Where(model => policy is null || policy.Allows(new ModelTarget(name, model.Id)))
                .Select(model => new ModelInfo
            {
                Id = ModelIds.Discoverable(name, model.Id, config),
                DisplayName = model.DisplayName is { } display && name == config.DefaultProvider
                    ? display
                    : $"{model.DisplayName ?? model.Id} ({name})",
                Description = $"{name} via Switchboard",
                MaxInputTokens = provider.ContextWindowOf(model.Id) ?? model.ContextWindow,
                MaxTokens = provider.MaxOutputTokensOf(model.Id) ?? model.MaxOutputTokens,
            });
        }));
        var all = listed.SelectMany(models => models).ToList();

        var query = context.Request.Query;
        var limit = int.TryParse(query["limit"], out var requested) ? Math.Clamp(requested, 1, 1000) : 20;
        var start = query["after_id"].ToString() is { Length: > 0 } after
            ? all.FindIndex(model => model.Id == after) + 1
            : 0;
        var page = all.Skip(start).Take(limit).ToList();
        var list = new ModelList
        {
            Data = page,
            HasMore = start + page.Count < all.Count,
            FirstId = page.FirstOrDefault()?.Id,
            LastId = page.LastOrDefault()?.Id,
        };
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, list, AnthropicJson.Relaxed.ModelList);
    }

    private async Task<IReadOnlyList<ListedModel>> ListQuietlyAsync(
        string name, IModelLister lister, IReadOnlyList<KeyValuePair<string, string>> clientHeaders, CancellationToken cancellationToken)
    {
        try
        {
            var models = await lister.ListModelsAsync(clientHeaders, cancellationToken);
            _warnings.Listed(name);
            return models;
        }
        catch (Exception ex) when (ex is AnthropicErrorException or HttpRequestException or JsonException or OperationCanceledException
                                       or IOException) // a connection lost while the list is read
        {
            var reason = ex is AnthropicErrorException error ? error.Error.Message
                : ex is OperationCanceledException ? $"no answer within {ListingBudget.TotalSeconds} s" : ex.Message;
            if (_warnings.IsNew(name, reason)) Log.ModelListFailed(logger, name, reason);
            else Log.ModelListStillFailing(logger, name, reason);
            return [];
        }
    }
}
