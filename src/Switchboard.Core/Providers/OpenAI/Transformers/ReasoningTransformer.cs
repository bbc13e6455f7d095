namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// <c>"reasoning"</c>: for models that put their reasoning in <c>reasoning_content</c> and want it back on the turns
/// that called tools (DeepSeek's convention, also Kimi's). Options: <c>field</c> (<c>reasoning_content</c>
/// or <c>reasoning</c>: the reply field read as thinking), <c>sendBack</c> (true or false) and <c>control</c> (how
/// thinking is asked for: <c>effort</c>, <c>openrouter</c>, <c>chat_template_kwargs</c> or <c>none</c>).
/// </summary>
internal sealed class ReasoningTransformer : ITransformer
{
    private readonly ReasoningField _field;
    private readonly bool _sendBack;
    private readonly ReasoningControl? _control;

    public ReasoningTransformer(TransformerOptions options)
    {
        options.AllowOnly("field", "sendBack", "control");
        _field = options.String("field", "reasoning_content", "reasoning") == "reasoning" ? ReasoningField.Reasoning : ReasoningField.ReasoningContent;
        _sendBack = options.Bool("sendBack") ?? true;
        _control = options.String("control", "effort", "openrouter", "chat_template_kwargs", "none") switch
        {
            "effort" => ReasoningControl.Effort,
            "openrouter" => ReasoningControl.OpenRouter,
            "chat_template_kwargs" => ReasoningControl.ChatTemplateKwargs,
            "none" => ReasoningControl.None,
            _ => null,
        };
    }

    public void Configure(OpenAISettings settings)
    {
        settings.ReasoningField = _field;
        settings.SendsReasoningBack = _sendBack;
        if (_control is { } control) settings.Reasoning = control;
    }
}
