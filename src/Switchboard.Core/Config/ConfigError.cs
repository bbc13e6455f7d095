namespace Switchboard.Config;

/// <summary>What is wrong with the config file, where: the file, a JSON path and, for syntax errors, the line.</summary>
public sealed record ConfigError(string File, string JsonPath, string Problem)
{
    public long? Line { get; init; }

    public override string ToString() =>
        Line is { } line ? $"{File}:{line}: {JsonPath}: {Problem}" : $"{File}: {JsonPath}: {Problem}";
}

public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception("The config is not valid:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
