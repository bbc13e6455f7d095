namespace Switchboard.Providers.OpenAI;

/// <summary>
/// How one request is translated and its reply read: the preset's quirks for the model asked for, then adjusted by
/// the transformers. The request mapper and the stream mapper read only this.
/// </summary>
internal sealed class OpenAISettings
{
    public required string Model { get; init; }
    public bool UsesMaxCompletionTokens { get; set; }
    public ReasoningControl Reasoning { get; set; }
    public bool FixedSampling { get; set; }

    /// <summary><c>system</c>, or <c>developer</c> for OpenAI's reasoning models.</summary>
    public string SystemRole { get; set; } = "system";
    public bool SendsReasoningBack { get; set; }
    public bool ForwardsCacheControl { get; set; }
    public bool AcceptsTopK { get; set; }
    public bool SystemOnlyFirst { get; set; }
    public required IReadOnlySet<string> DroppedSchemaKeywords { get; init; }

    /// <summary>Which reply field carries reasoning.</summary>
    public ReasoningField ReasoningField { get; set; } = ReasoningField.Either;

    /// <summary><c>enhancetool</c>: hold each tool call until it is complete, then heal its arguments.</summary>
    public bool HealsToolCalls { get; set; }

    /// <summary><c>tooluse</c>: the function the model calls to answer in text; its reply becomes a text block.</summary>
    public string? ExitTool { get; set; }

    public static OpenAISettings For(OpenAIPreset preset, string model) => new()
    {
        Model = model,
        UsesMaxCompletionTokens = preset.UsesMaxCompletionTokens,
        Reasoning = preset.ReasoningModels(model) ? preset.Reasoning : ReasoningControl.None,
        FixedSampling = preset.FixedSamplingModels(model),
        SystemRole = preset.FixedSamplingModels(model) ? "developer" : "system",
        SendsReasoningBack = preset.SendsReasoningBack,
        ForwardsCacheControl = preset.CacheControlModels(model),
        AcceptsTopK = preset.AcceptsTopK,
        SystemOnlyFirst = preset.SystemOnlyFirst,
        DroppedSchemaKeywords = preset.DroppedSchemaKeywords,
    };
}
