using System.CommandLine;
using Switchboard.Config;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary>
/// The options <c>serve</c> and <c>code</c> share, which change the config for one run without writing it:
/// <c>--port</c>, <c>--ollama-url</c>, <c>--default-model</c>, <c>--model-map FROM=TO</c> (repeatable),
/// <c>--strict-thinking</c>, <c>--verbose</c>. Declared once here for <c>serve</c>'s parser and read by hand for
/// <c>code</c>, whose other arguments belong to Claude Code.
/// </summary>
internal sealed record RunOptions
{
    public int? Port { get; init; }
    public bool Verbose { get; init; }
    public RunOverrides Overrides { get; init; } = RunOverrides.None;

    /// <summary>Any option that needs a router configured differently from the file.</summary>
    public bool ChangesConfig => Port is not null || !Overrides.IsEmpty;

    public static readonly Option<int?> PortOption = new("--port") { Description = "Port for this run (the config's port otherwise)." };
    public static readonly Option<string?> OllamaUrlOption = new("--ollama-url") { Description = $"Base URL of the '{RunOverrides.LocalOllama}' provider for this run." };
    public static readonly Option<string?> DefaultModelOption = new("--default-model") { Description = "The default route for this run, e.g. ollama-local:qwen3:8b." };
    public static readonly Option<string[]> ModelMapOption = new("--model-map") { Description = "FROM=TO model mapping for this run (repeatable).", AllowMultipleArgumentsPerToken = false };
    public static readonly Option<bool> StrictThinkingOption = new("--strict-thinking") { Description = "Ollama: refuse a thinking budget for models that cannot think (400)." };
    public static readonly Option<bool> VerboseOption = new("--verbose") { Description = "Log debug detail." };

    public static IEnumerable<Option> All => [PortOption, OllamaUrlOption, DefaultModelOption, ModelMapOption, StrictThinkingOption, VerboseOption];

    public static RunOptions Read(ParseResult result, out string? error)
    {
        error = null;
        var mappings = new List<KeyValuePair<string, string>>();
        foreach (var text in result.GetValue(ModelMapOption) ?? [])
        {
            if (RunOverrides.ParseMapping(text) is { } mapping) mappings.Add(mapping);
            else error = $"--model-map wants FROM=TO, not '{text}'";
        }
        return new RunOptions
        {
            Port = result.GetValue(PortOption),
            Verbose = result.GetValue(VerboseOption),
            Overrides = new RunOverrides
            {
                OllamaUrl = result.GetValue(OllamaUrlOption),
                DefaultModel = result.GetValue(DefaultModelOption),
                ModelMap = mappings,
                StrictThinking = result.GetValue(StrictThinkingOption),
            },
        };
    }

    /// <summary>The config file with this run's overrides, checked; the problems when it would not serve.</summary>
    public IReadOnlyList<ConfigError> Check(SwitchboardHome home)
    {
        ConfigFile.CreateIfMissing(home);
        var (config, errors) = ConfigLoader.TryLoad(home.ConfigFile, CliProviders.Registry);
        if (config is null) return errors;
        var overridden = Overrides.Apply(config) with { Port = Port ?? config.Port };
        return ConfigValidator.Validate(overridden, "(command line)", CliProviders.Registry);
    }
}
