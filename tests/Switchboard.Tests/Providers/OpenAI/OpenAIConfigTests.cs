using Shouldly;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>openai provider entries in config.json: what is accepted, and errors that say what to fix.</summary>
public sealed class OpenAIConfigTests
{
    private static readonly ProviderRegistry Registry = ProviderRegistry.CreateDefault(new UpstreamClient());

    private static IReadOnlyList<ConfigError> Errors(string provider)
    {
        var (config, errors) = ConfigLoader.Parse("""{"defaultProvider":"p","providers":{"p":""" + provider + "}}", "config.json", Registry);
        if (errors.Count == 0) config.ShouldNotBeNull();
        return errors;
    }

    [Fact]
    public void Parse_ShortestEntry_IsAPresetAndItsKey()
    {
        Errors("""{"type": "openai", "preset": "openrouter", "apiKey": "$OPENROUTER_API_KEY"}""").ShouldBeEmpty();
    }

    [Fact]
    public void Parse_FullEntry_WithTransformersAndPerModelSettings_IsAccepted()
    {
        Errors("""
            {"type": "openai", "baseUrl": "http://gpu-box:8000/v1", "models": ["qwen3-coder"], "timeoutSeconds": 900,
             "transformers": ["enhancetool", ["maxtoken", {"max_tokens": 32768}], ["customparams", {"top_k": 20}]],
             "perModel": {"qwen3-coder": {"transformers": [["sampling", {"temperature": 0.7}], "tooluse"]}, "deepseek*": {"transformers": ["reasoning"]}}}
            """).ShouldBeEmpty();
    }

    [Fact]
    public void Parse_UnknownTransformer_ListsTheOnesThatExist()
    {
        var error = Errors("""{"type": "openai", "preset": "vllm", "transformers": ["cleancache", "maxtokens"]}""").ShouldHaveSingleItem();

        error.JsonPath.ShouldBe("$.providers.p.transformers[1]");
        error.Problem.ShouldBe("unknown transformer 'maxtokens'; known transformers: cleancache, customparams, enhancetool, headers, maxtoken, reasoning, sampling, streamoptions, tooluse");
    }

    [Fact]
    public void Parse_ClaudeCodeRouterServerTransformer_PointsToThePreset()
    {
        var error = Errors("""{"type": "openai", "baseUrl": "https://api.deepseek.com", "apiKey": "k", "perModel": {"deepseek-chat": {"transformers": ["deepseek"]}}}""").ShouldHaveSingleItem();

        error.JsonPath.ShouldBe("$.providers.p.perModel.deepseek-chat.transformers[0]");
        error.Problem.ShouldStartWith("unknown transformer 'deepseek' (for deepseek's quirks use \"preset\": \"deepseek\"); known transformers: ");
    }

    [Theory]
    [InlineData("""["maxtoken"]""", "transformer 'maxtoken' needs a positive whole number in max_tokens")]
    [InlineData("""[["maxtoken", {"max": 10}]]""", "transformer 'maxtoken' has no option 'max'; its options are max_tokens")]
    [InlineData("""[["sampling", {"temperature": "hot"}]]""", "transformer 'sampling' option 'temperature' must be a number (to set it) or null (to strip it)")]
    [InlineData("""[["reasoning", {"field": "thoughts"}]]""", "transformer 'reasoning' option 'field' must be one of reasoning_content, reasoning")]
    [InlineData("""[["headers", {"X-A": 1}]]""", "transformer 'headers' header 'X-A' must be a string")]
    [InlineData("""[["cleancache", 5]]""", "transformer 'cleancache' takes an options object, not number")]
    [InlineData("""[{"name": "cleancache"}]""", "is not a transformer; write a name")]
    public void Parse_BadTransformerOptions_SayWhatIsWrong(string transformers, string problem)
    {
        var error = Errors($$"""{"type": "openai", "preset": "vllm", "transformers": {{transformers}}}""").ShouldHaveSingleItem();

        error.Problem.ShouldContain(problem);
    }

    [Fact]
    public void Parse_UnknownPreset_ListsThePresets()
    {
        Errors("""{"type": "openai", "preset": "mistral", "apiKey": "k"}""").ShouldHaveSingleItem().Problem
            .ShouldBe("unknown preset 'mistral'; known presets: openai, openrouter, nvidia, groq, deepseek, together, vllm, llamacpp, lmstudio");
    }

    [Fact]
    public void Parse_CloudPresetWithoutKey_SaysWhichVariableToUse()
    {
        var error = Errors("""{"type": "openai", "preset": "groq"}""").ShouldHaveSingleItem();

        (error.JsonPath, error.Problem).ShouldBe(("$.providers.p.apiKey", "groq needs an API key: add \"apiKey\": \"$GROQ_API_KEY\""));
    }

    [Fact]
    public void Parse_NeitherPresetNorBaseUrl_AsksForOne()
    {
        Errors("""{"type": "openai"}""").ShouldHaveSingleItem().Problem.ShouldStartWith("set baseUrl (e.g. \"http://127.0.0.1:8000/v1\") or a preset");
    }

    [Fact]
    public void Parse_OpenAIKeysOnOtherProviderTypes_AreErrors()
    {
        var errors = Errors("""{"type": "ollama", "preset": "vllm", "transformers": ["cleancache"], "perModel": {"m": {"transformers": []}}}""");

        errors.Select(e => (e.JsonPath, e.Problem)).ShouldBe([
            ("$.providers.p.preset", "applies to openai providers only"),
            ("$.providers.p.transformers", "applies to openai providers only"),
            ("$.providers.p.perModel.*.transformers", "applies to openai providers only")]);
    }

    [Fact]
    public void Parse_UnknownKeyInPerModel_IsRefused()
    {
        Errors("""{"type": "openai", "preset": "vllm", "perModel": {"m": {"transformer": []}}}""").ShouldHaveSingleItem().JsonPath.ShouldContain("transformer");
    }
}
