namespace Switchboard.Config;

/// <summary>What is wrong with the config file, where: the file, a JSON path and, for syntax errors, the line.</summary>
public sealed record ConfigError(string File, string JsonPath, string Problem)
{
    public long? Line { get; init; }

    public override string ToString() => Line is { } line ? $"{File}:{line}: {Sentence}" : $"{File}: {Sentence}";

    /// <summary>
    /// The path and the problem without the file: a problem that reads on from its key is one sentence
    /// (<c>$.port must be a whole number</c>, <c>$.prot is not a known key</c>), any other follows a colon.
    /// </summary>
    public string Sentence =>
        Problem.StartsWith("must ", StringComparison.Ordinal) || Problem.StartsWith("is ", StringComparison.Ordinal)
            ? $"{JsonPath} {Problem}"
            : $"{JsonPath}: {Problem}";
}

public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception("The config is not valid:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
