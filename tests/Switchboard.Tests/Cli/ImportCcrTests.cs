using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary>
/// <c>import ccr</c> with the configs CCR users actually have: endpoint URLs, transformer names in any case, counts
/// in strings, and a config of ours it partly replaces. Through the real executable.
/// </summary>
public sealed class ImportCcrTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;

    public ImportCcrTests() => _cli = new CliRunner(_home);

    public void Dispose() => _home.Dispose();

    [Theory]
    // CCR's documented Gemini URL, to which its transformer appends the model: kept, it doubled the path.
    [InlineData("gemini", "https://generativelanguage.googleapis.com/v1beta/models/", "gemini", "https://generativelanguage.googleapis.com/v1beta")]
    [InlineData("gemini", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", "gemini", "https://generativelanguage.googleapis.com/v1beta")]
    [InlineData("gemini", "https://generativelanguage.googleapis.com/v1beta/models", "gemini", "https://generativelanguage.googleapis.com/v1beta")]
    [InlineData("openrouter", "https://openrouter.ai/api/v1/chat/completions", "openai", "https://openrouter.ai/api/v1")]
    [InlineData("deepseek", "https://api.deepseek.com/chat/completions", "openai", "https://api.deepseek.com")]
    [InlineData(null, "https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions/", "openai", "https://dashscope.aliyuncs.com/compatible-mode/v1")]
    [InlineData(null, "https://api.openai.com/v1", "openai", "https://api.openai.com/v1")]
    [InlineData(null, "http://localhost:11434/v1/chat/completions", "ollama", "http://localhost:11434")]
    [InlineData(null, "http://127.0.0.1:11434/v1", "ollama", "http://127.0.0.1:11434")]
    [InlineData(null, "http://gpu-box:8080/api/chat", "ollama", "http://gpu-box:8080")]
    [InlineData("anthropic", "https://api.anthropic.com/v1/messages", "anthropic", "https://api.anthropic.com")]
    [InlineData("anthropic", "https://open.bigmodel.cn/api/anthropic/v1/messages/", "anthropic", "https://open.bigmodel.cn/api/anthropic")]
    public async Task ImportCcr_EndpointUrl_BecomesTheBaseUrlOfItsProviderType(string? transformer, string ccrUrl, string type, string baseUrl)
    {
        // Given a CCR provider as CCR's users write it: the full endpoint its transformer posts to
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var use = transformer is null ? "" : $$""", "transformer": { "use": ["{{transformer}}"] }""";
        var ccr = await WriteCcrAsync($$"""
            {
              "Providers": [{ "name": "p", "api_base_url": "{{ccrUrl}}", "api_key": "$P_KEY", "models": ["m"]{{use}} }],
              "Router": { "default": "p,m" }
            }
            """);

        // When it is imported
        var result = await _cli.RunAsync("import", "ccr", ccr);

        // Then the provider has the type and the base URL its own URL building expects, and the config loads
        result.ExitCode.ShouldBe(0, result.ToString());
        var provider = ConfigJson()["providers"]!["p"]!;
        provider["type"]!.GetValue<string>().ShouldBe(type);
        provider["baseUrl"]!.GetValue<string>().ShouldBe(baseUrl);
        (await _cli.RunAsync("status")).Stdout.ShouldContain("(valid)");
    }

    [Fact]
    public async Task ImportCcr_TransformerNamesInAnyCase_AreRecognisedAndWrittenAsOurs()
    {
        // Given transformer names capitalised, as CCR accepts them
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var ccr = await WriteCcrAsync("""
            {
              "Providers": [
                { "name": "claude", "api_base_url": "https://api.anthropic.com/v1/messages", "models": ["claude-sonnet-4-5"], "transformer": { "use": ["Anthropic"] } },
                { "name": "or", "api_base_url": "https://openrouter.ai/api/v1/chat/completions", "api_key": "$OR_KEY", "models": ["m"],
                  "transformer": { "use": ["OpenRouter", "CleanCache"], "m": { "use": [["MaxToken", { "max_tokens": 8192 }]] } } }
              ],
              "Router": { "default": "or,m", "think": "claude,claude-sonnet-4-5" }
            }
            """);

        var result = await _cli.RunAsync("import", "ccr", ccr);

        // Then each became what its lower-case name would have, spelt as ours, and nothing is reported as unknown
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldNotContain("no Switchboard counterpart");
        var providers = ConfigJson()["providers"]!;
        providers["claude"]!["type"]!.GetValue<string>().ShouldBe("anthropic");
        providers["or"]!["type"]!.GetValue<string>().ShouldBe("openai");
        providers["or"]!["preset"]!.GetValue<string>().ShouldBe("openrouter");
        providers["or"]!["transformers"]!.ToJsonString().ShouldBe("""["cleancache"]""");
        providers["or"]!["perModel"]!["m"]!["transformers"]!.ToJsonString().ShouldBe("""[["maxtoken",{"max_tokens":8192}]]""");
        (await _cli.RunAsync("status")).Stdout.ShouldContain("(valid)");
    }

    [Fact]
    public async Task ImportCcr_CountsWrittenAsStrings_AreTakenAsNumbers()
    {
        // Given the threshold and the timeout written as strings, which CCR reads as numbers
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var ccr = await WriteCcrAsync("""
            {
              "API_TIMEOUT_MS": "120000",
              "Providers": [{ "name": "or", "api_base_url": "https://openrouter.ai/api/v1/chat/completions", "api_key": "$OR_KEY", "models": ["m"] }],
              "Router": { "default": "or,m", "longContext": "or,m", "longContextThreshold": "60000" }
            }
            """);

        var result = await _cli.RunAsync("import", "ccr", ccr);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldNotContain("longContextThreshold (");
        var config = ConfigJson();
        config["longContextThreshold"]!.GetValue<int>().ShouldBe(60000);
        config["providers"]!["or"]!["timeoutSeconds"]!.GetValue<int>().ShouldBe(120);
    }

    [Fact]
    public async Task ImportCcr_ThresholdThatIsNoNumber_IsListedAsNotCarried()
    {
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var ccr = await WriteCcrAsync("""{ "Router": { "longContextThreshold": "lots" } }""");

        var result = await _cli.RunAsync("import", "ccr", ccr);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("""Router.longContextThreshold ("lots"): not a whole number of tokens""");
        ConfigJson()["longContextThreshold"].ShouldBeNull();
    }

    [Fact]
    public async Task ImportCcr_OverExistingConfig_ListsEachReplacementAndKeepsTheOldConfigPrivately()
    {
        // Given a private config whose provider, route and threshold the CCR config also sets
        const string previous = """
            {
              "providers": {
                "anthropic": { "type": "anthropic" },
                "ollama": { "type": "ollama", "baseUrl": "http://127.0.0.1:11434" }
              },
              "routes": { "default": "ollama:qwen3:8b", "background": "ollama:gemma3:4b" },
              "longContextThreshold": 60000,
              "proxyUrl": "http://me:old-proxy-secret@127.0.0.1:3128"
            }
            """;
        _home.WriteConfig(previous);
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_home.Home.ConfigFile, owner);
        var ccr = await WriteCcrAsync("""
            {
              "PROXY_URL": "http://127.0.0.1:7890",
              "Providers": [{ "name": "ollama", "api_base_url": "https://ollama.com/v1/chat/completions", "api_key": "$OLLAMA_API_KEY",
                              "models": ["deepseek-v4-pro", "gemma3:4b"], "transformer": { "use": ["deepseek"] } }],
              "Router": { "default": "ollama,deepseek-v4-pro", "background": "ollama,gemma3:4b", "longContextThreshold": 80000 }
            }
            """);

        // When it is imported
        var result = await _cli.RunAsync("import", "ccr", ccr);

        // Then every replaced value is listed old → new (secrets masked), an unchanged one is not, and the old file is kept
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("replaced (old → new):");
        result.Stdout.ShouldContain("providers.ollama: ollama, http://127.0.0.1:11434 → openai, preset deepseek, https://ollama.com/v1");
        result.Stdout.ShouldContain("""routes.default: "ollama:qwen3:8b" → "ollama:deepseek-v4-pro" """.TrimEnd());
        result.Stdout.ShouldNotContain("routes.background:");
        result.Stdout.ShouldContain("longContextThreshold: 60000 → 80000");
        result.Stdout.ShouldContain("proxyUrl: \"http://me:********@127.0.0.1:3128\" → \"http://127.0.0.1:7890\"");
        result.Stdout.ShouldNotContain("old-proxy-secret");
        var backup = _home.Home.ConfigFile + ".bak";
        result.Stdout.ShouldContain($"the previous config is in {backup}");
        File.ReadAllText(backup).ShouldBe(previous);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(_home.Home.ConfigFile).ShouldBe(owner);
            File.GetUnixFileMode(backup).ShouldBe(owner);
        }
        ConfigJson()["routes"]!["default"]!.GetValue<string>().ShouldBe("ollama:deepseek-v4-pro");
    }

    [Fact]
    public async Task ImportCcr_ResultWouldNotLoad_WritesNeitherConfigNorBackup()
    {
        const string previous = """{ "providers": { "anthropic": { "type": "anthropic" } } }""";
        _home.WriteConfig(previous);
        var ccr = await WriteCcrAsync("""{ "Router": { "default": "nowhere,m" } }""");

        var result = await _cli.RunAsync("import", "ccr", ccr);

        result.ExitCode.ShouldBe(2, result.ToString());
        File.ReadAllText(_home.Home.ConfigFile).ShouldBe(previous);
        File.Exists(_home.Home.ConfigFile + ".bak").ShouldBeFalse();
    }

    [Fact]
    public async Task ImportCcr_BrokenJson_NamesFileAndLineOnce()
    {
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var ccr = await WriteCcrAsync("{\n  \"Providers\": [\n}\n");

        var result = await _cli.RunAsync("import", "ccr", ccr);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stdout.ShouldContain($"{ccr}:3: $: not valid JSON:");
        result.Stdout.ShouldNotContain("LineNumber");
        result.Stdout.Split(ccr).Length.ShouldBe(2, result.Stdout);
    }

    private JsonNode ConfigJson() => JsonNode.Parse(File.ReadAllText(_home.Home.ConfigFile))!;

    private async Task<string> WriteCcrAsync(string json)
    {
        var file = Path.Combine(_home.Folder, "ccr.json");
        await File.WriteAllTextAsync(file, json, TestContext.Current.CancellationToken);
        return file;
    }
}
