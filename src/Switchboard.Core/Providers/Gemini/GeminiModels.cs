namespace Switchboard.Providers.Gemini;

/// <summary>
/// What a Gemini model accepts, by its name. Gemini 1.x and 2.0 take only the OpenAPI schema subset and cannot think;
/// 2.5 thinks with a token budget (Flash can be told not to); 3 thinks by level and insists on signed function calls.
/// Anything unrecognised is treated as the newest generation.
/// </summary>
internal static class GeminiModels
{
    public static string Bare(string model) => model.StartsWith("models/", StringComparison.Ordinal) ? model[7..] : model;

    private static bool IsLegacy(string model)
    {
        var name = Bare(model);
        return name.StartsWith("gemini-1", StringComparison.Ordinal) || name.StartsWith("gemini-2.0", StringComparison.Ordinal) ||
               name.StartsWith("gemma", StringComparison.Ordinal);
    }

    private static bool IsGemini25(string model) => Bare(model).StartsWith("gemini-2.5", StringComparison.Ordinal);

    public static bool AcceptsJsonSchema(string model) => !IsLegacy(model);

    public static bool CanThink(string model) => !IsLegacy(model);

    public static bool UsesThinkingLevels(string model) => CanThink(model) && !IsGemini25(model);

    public static bool RequiresCallSignatures(string model) => UsesThinkingLevels(model);

    /// <summary>Only 2.5 Flash models accept a zero budget; Pro models always think.</summary>
    public static bool CanTurnThinkingOff(string model) => IsGemini25(model) && Bare(model).Contains("flash", StringComparison.Ordinal);
}
