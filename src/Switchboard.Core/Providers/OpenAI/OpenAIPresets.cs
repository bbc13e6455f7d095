namespace Switchboard.Providers.OpenAI;

/// <summary>The servers a provider entry can name as its <c>preset</c>, and the generic one used without.</summary>
internal static class OpenAIPresets
{
    /// <summary>Any chat-completions server: only what OpenAI's API itself defines. Needs a baseUrl.</summary>
    public static readonly OpenAIPreset Generic = new() { Name = "", BaseUrl = "" };

    private static readonly OpenAIPreset[] All =
    [
        new()
        {
            Name = "openai", BaseUrl = "https://api.openai.com/v1", KeyVariable = "OPENAI_API_KEY",
            UsesMaxCompletionTokens = true,
            Reasoning = ReasoningControl.Effort, ReasoningModels = IsOpenAIReasoningModel,
            FixedSamplingModels = IsOpenAIReasoningModel,
        },
        new()
        {
            Name = "openrouter", BaseUrl = "https://openrouter.ai/api/v1", KeyVariable = "OPENROUTER_API_KEY",
            Reasoning = ReasoningControl.OpenRouter, AcceptsTopK = true,
            CacheControlModels = model => model.StartsWith("anthropic/", StringComparison.Ordinal) || model.StartsWith("google/", StringComparison.Ordinal),
            Headers = new Dictionary<string, string> { ["X-Title"] = "Switchboard" },
        },
        new()
        {
            Name = "nvidia", BaseUrl = "https://integrate.api.nvidia.com/v1", KeyVariable = "NVIDIA_API_KEY",
            Reasoning = ReasoningControl.ChatTemplateKwargs,
        },
        new()
        {
            Name = "groq", BaseUrl = "https://api.groq.com/openai/v1", KeyVariable = "GROQ_API_KEY",
            Reasoning = ReasoningControl.Effort, ReasoningModels = IsGptOss,
        },
        new()
        {
            // deepseek-reasoner thinks by its name; no request field turns it on.
            Name = "deepseek", BaseUrl = "https://api.deepseek.com", KeyVariable = "DEEPSEEK_API_KEY",
            SendsReasoningBack = true,
        },
        new()
        {
            Name = "together", BaseUrl = "https://api.together.xyz/v1", KeyVariable = "TOGETHER_API_KEY",
            Reasoning = ReasoningControl.Effort, ReasoningModels = IsGptOss, AcceptsTopK = true,
        },
        new()
        {
            Name = "vllm", BaseUrl = "http://127.0.0.1:8000/v1",
            Reasoning = ReasoningControl.ChatTemplateKwargs, AcceptsTopK = true, SystemOnlyFirst = true,
        },
        new()
        {
            Name = "llamacpp", BaseUrl = "http://127.0.0.1:8080/v1",
            Reasoning = ReasoningControl.ChatTemplateKwargs, AcceptsTopK = true, SystemOnlyFirst = true,
        },
        new()
        {
            Name = "lmstudio", BaseUrl = "http://127.0.0.1:1234/v1",
            Reasoning = ReasoningControl.Effort, ReasoningModels = IsGptOss, AcceptsTopK = true, SystemOnlyFirst = true,
        },
    ];

    public static IEnumerable<string> Names => All.Select(preset => preset.Name);

    public static OpenAIPreset? Find(string? name) => name is null ? Generic : All.FirstOrDefault(preset => preset.Name == name);

    /// <summary>o1, o3, o4-mini, gpt-5…: the models that reason and refuse temperature.</summary>
    private static bool IsOpenAIReasoningModel(string model) =>
        (model.StartsWith("gpt-5", StringComparison.Ordinal) && !model.Contains("-chat", StringComparison.Ordinal)) ||
        (model.Length > 1 && model[0] == 'o' && char.IsAsciiDigit(model[1]));

    private static bool IsGptOss(string model) => model.Contains("gpt-oss", StringComparison.Ordinal);
}
