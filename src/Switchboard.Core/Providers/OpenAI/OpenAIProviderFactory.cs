using Microsoft.Extensions.Logging;
using Switchboard.Config;
using Switchboard.Providers.OpenAI.Transformers;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// <c>"type": "openai"</c>: any chat-completions server, named by a <c>preset</c> or by its <c>baseUrl</c>.
/// <c>{"type": "openai", "preset": "openrouter", "apiKey": "$OPENROUTER_API_KEY"}</c> is a whole entry.
/// </summary>
internal sealed class OpenAIProviderFactory(UpstreamClient upstream, ILoggerFactory loggers) : IProviderFactory
{
    internal static ProviderKind Kind { get; } = new()
    {
        Type = "openai",
        CreateFactory = services => new OpenAIProviderFactory(services.Upstream, services.Loggers),
    };

    public string Type => Kind.Type;

    public IReadOnlyList<ProviderOption> Options => OpenAIProviderOptions.Keys;

    public IEnumerable<(string Path, string Problem)> Validate(ProviderConfig config)
    {
        var options = OpenAIProviderOptions.Of(config);
        var preset = OpenAIPresets.Find(options.Preset);
        if (preset is null)
            yield return ("preset", $"unknown preset '{options.Preset}'; known presets: {string.Join(", ", OpenAIPresets.Names)}");
        else if (config.BaseUrl is null && preset == OpenAIPresets.Generic)
            yield return ("baseUrl", $"set baseUrl (e.g. \"http://127.0.0.1:8000/v1\") or a preset ({string.Join(", ", OpenAIPresets.Names)})");
        else if (config.ApiKey is null && preset.KeyVariable is { } variable)
            yield return ("apiKey", $"{preset.Name} needs an API key: add \"apiKey\": \"${variable}\"");

        foreach (var problem in TransformerProblems(options.Transformers, "transformers")) yield return problem;
        foreach (var (model, settings) in config.PerModel ?? [])
            foreach (var problem in TransformerProblems(settings.Transformers, $"perModel.{model}.transformers")) yield return problem;
    }

    /// <summary>A server on this machine or the local network (vLLM, llama.cpp, LM Studio…), by its baseUrl or its preset's.</summary>
    public bool IsLocal(ProviderConfig config) =>
        LocalAddress.IsLocal(config.BaseUrl is { } baseUrl ? EnvExpander.Expand(baseUrl) : OpenAIPresets.Find(OpenAIProviderOptions.Of(config).Preset)?.BaseUrl);

    public IProvider Create(string name, ProviderConfig config) =>
        new OpenAIProvider(name, config, upstream, loggers.CreateLogger("Switchboard.Providers.OpenAI"));

    private static IEnumerable<(string, string)> TransformerProblems(List<System.Text.Json.JsonElement>? entries, string path)
    {
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            string? problem = null;
            try
            {
                TransformerCatalog.Build(entries![i]);
            }
            catch (ArgumentException ex)
            {
                problem = ex.Message;
            }
            if (problem is not null) yield return ($"{path}[{i}]", problem);
        }
    }
}
