using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Hosting;

/// <summary><c>/</c>, <c>/health</c>, <c>/api/hello</c> and <c>/v1/models</c>: what the server is and what it serves.</summary>
internal sealed class InfoEndpoints(ConfigStore configStore, Func<string> url)
{
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

    public Task HealthAsync(HttpContext context)
    {
        var snapshot = configStore.Current;
        var problems = configStore.Problems;
        var report = new HealthReport
        {
            Status = problems.Count == 0 ? "ok" : "degraded",
            Version = Version,
            UptimeSeconds = (long)Stopwatch.GetElapsedTime(_startedAt).TotalSeconds,
            Pid = Environment.ProcessId,
            Url = url(),
            Config = new ConfigHealth(configStore.File, problems.Count == 0, snapshot.Version,
                problems.Select(problem => problem.ToString()).ToList()),
            Providers = snapshot.Config.Providers
                .Select(pair => new ProviderSummary(pair.Key, pair.Value.Type, pair.Value.BaseUrl))
                .ToList(),
        };
        return context.Response.WriteAsJsonAsync(report, HostJson.Default.HealthReport);
    }

    /// <summary>
    /// Every model Switchboard can route to, in Anthropic's list shape: each provider's configured <c>models</c>, and
    /// what providers that can list their own (Ollama) have installed, asked of all of them at once. Models of the
    /// default provider keep their bare names; others are <c>provider:model</c>, which routes back when sent as model.
    /// </summary>
    public async Task ModelsAsync(HttpContext context)
    {
        var snapshot = configStore.Current;
        var config = snapshot.Config;
        var listed = await Task.WhenAll(config.Providers.Select(async pair =>
        {
            var names = new List<string>(pair.Value.Models ?? []);
            if (snapshot.Providers[pair.Key] is IModelCatalog lister)
                names.AddRange(await lister.ListModelsAsync(context.RequestAborted));
            return names.Distinct(StringComparer.Ordinal).Select(model => new ModelInfo
            {
                Id = pair.Key == config.DefaultProvider ? model : $"{pair.Key}:{model}",
                DisplayName = $"{model} ({pair.Key})",
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
}
