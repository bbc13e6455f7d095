namespace Switchboard.Providers.OpenAI.Transformers;

/// <summary>
/// One adjustment for a server or a model (claude-code-router's transformers), built from config. Each does one thing
/// in one or both steps; they run in the order configured, the provider's before the model's.
/// </summary>
internal interface ITransformer
{
    /// <summary>Before translation: how the request is translated and how the reply is read.</summary>
    void Configure(OpenAISettings settings)
    {
    }

    /// <summary>After translation: the body and headers about to be sent.</summary>
    void Apply(OpenAIExchange exchange)
    {
    }
}
