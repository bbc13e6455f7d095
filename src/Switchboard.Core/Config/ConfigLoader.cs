using System.Text.Json;
using Switchboard.Anthropic;
using Switchboard.Providers;

namespace Switchboard.Config;

/// <summary>Reads and checks a config file; never writes it.</summary>
public static class ConfigLoader
{
    public static SwitchboardConfig Load(string file, ProviderRegistry registry)
    {
        var (config, errors) = TryLoad(file, registry);
        return config ?? throw new ConfigException(errors);
    }

    public static (SwitchboardConfig? Config, IReadOnlyList<ConfigError> Errors) TryLoad(
        string file, ProviderRegistry registry)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, [new ConfigError(file, "$", $"cannot read the file: {ex.Message}")]);
        }
        return Parse(text, file, registry);
    }

    public static (SwitchboardConfig? Config, IReadOnlyList<ConfigError> Errors) Parse(
        string text, string file, ProviderRegistry registry)
    {
        SwitchboardConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(text, ConfigJson.Default.SwitchboardConfig);
        }
        catch (JsonException ex)
        {
            return (null, [FromJsonException(file, ex)]);
        }
        if (config is null) return (null, [new ConfigError(file, "$", "the file holds null; it must be a JSON object")]);
        // The keys only some provider types take are read as written; they get the reader's checks before anything reads them.
        if (ProviderTypeKeys.FirstProblem(config, text, file, registry) is { } keyError) return (null, [keyError]);

        var errors = ConfigValidator.Validate(config, file, registry);
        return errors.Count == 0 ? (config, errors) : (null, errors);
    }

    private static ConfigError FromJsonException(string file, JsonException ex)
    {
        // The path and line are reported separately, not as .NET's tail on the message.
        return new ConfigError(file, ex.Path ?? "$", ConfigJsonErrors.Describe(JsonFailure.CoreMessage(ex), ex.Path))
        {
            Line = ex.LineNumber is { } line ? line + 1 : null,
        };
    }
}
