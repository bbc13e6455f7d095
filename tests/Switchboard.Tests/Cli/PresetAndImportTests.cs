using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Cli;

/// <summary><c>preset export|install|list</c> and <c>import ccr</c>, through the real executable.</summary>
public sealed class PresetAndImportTests : IDisposable
{
    private readonly TempHome _home = new();
    private readonly CliRunner _cli;

    public PresetAndImportTests() => _cli = new CliRunner(_home);

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task PresetExport_ReplacesSecretsWithVariables_InstallBringsItBack_ListShowsIt()
    {
        // Given a config with a literal key, a literal auth header and a key that already is a reference
        _home.WriteConfig("""
            {
              "providers": {
                "anthropic": { "type": "anthropic" },
                "open-router": { "type": "openai", "preset": "openrouter", "apiKey": "sk-or-secret", "headers": { "X-Api-Key": "hdr-secret", "X-Title": "mine" } },
                "ollama-cloud": { "type": "ollama", "baseUrl": "https://ollama.com", "apiKey": "$OLLAMA_API_KEY" }
              },
              "routes": { "default": "open-router:kimi-k2" }
            }
            """);

        var export = await _cli.RunAsync("preset", "export", "team");

        export.ExitCode.ShouldBe(0, export.ToString());
        var preset = File.ReadAllText(Path.Combine(_home.Folder, "presets", "team.json"));
        preset.ShouldNotContain("sk-or-secret");
        preset.ShouldNotContain("hdr-secret");
        preset.ShouldContain("\"apiKey\": \"$OPEN_ROUTER_API_KEY\"");
        preset.ShouldContain("\"X-Api-Key\": \"$OPEN_ROUTER_X_API_KEY\"");
        preset.ShouldContain("\"X-Title\": \"$OPEN_ROUTER_X_TITLE\"");
        preset.ShouldContain("\"apiKey\": \"$OLLAMA_API_KEY\"");
        export.Stdout.ShouldContain("$.providers.open-router.apiKey → $OPEN_ROUTER_API_KEY");

        var list = await _cli.RunAsync("preset", "list");
        list.Stdout.ShouldContain("team");
        list.Stdout.ShouldContain("open-router:kimi-k2");

        // When another config is in place and the preset is installed by name
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var install = await _cli.RunAsync(["preset", "install", "team"], environment: new Dictionary<string, string> { ["OLLAMA_API_KEY"] = "set" });

        // Then it is the config, the old one is kept, and the unset variables are named
        install.ExitCode.ShouldBe(0, install.ToString());
        File.ReadAllText(_home.Home.ConfigFile).ShouldContain("$OPEN_ROUTER_API_KEY");
        File.ReadAllText(_home.Home.ConfigFile + ".bak").ShouldNotContain("open-router");
        install.Stdout.ShouldContain("set these before use: OPEN_ROUTER_API_KEY, OPEN_ROUTER_X_API_KEY");
        (await _cli.RunAsync("status")).Stdout.ShouldContain("(valid)");
    }

    [Fact]
    public async Task PresetInstall_PrivateConfig_NewConfigAndItsBackupStayPrivate()
    {
        // Given a private config holding a literal key
        if (OperatingSystem.IsWindows()) return;
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic", "apiKey": "sk-ant-literal" } } }""");
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.SetUnixFileMode(_home.Home.ConfigFile, owner);
        var preset = Path.Combine(_home.Folder, "good.json");
        await File.WriteAllTextAsync(preset, """{ "providers": { "ollama-local": { "type": "ollama" } }, "defaultProvider": "ollama-local" }""",
            TestContext.Current.CancellationToken);

        // When a preset replaces it
        var install = await _cli.RunAsync("preset", "install", preset);

        // Then the new config and the backup of the old one (with its key) are as private as the old one was
        install.ExitCode.ShouldBe(0, install.ToString());
        File.GetUnixFileMode(_home.Home.ConfigFile).ShouldBe(owner);
        File.ReadAllText(_home.Home.ConfigFile + ".bak").ShouldContain("sk-ant-literal");
        File.GetUnixFileMode(_home.Home.ConfigFile + ".bak").ShouldBe(owner);
    }

    [Fact]
    public async Task PresetInstall_InvalidPreset_IsRefusedAndTheConfigStays()
    {
        const string original = """{ "providers": { "anthropic": { "type": "anthropic" } } }""";
        _home.WriteConfig(original);
        var bad = Path.Combine(_home.Folder, "bad.json");
        await File.WriteAllTextAsync(bad, """{ "providers": { "x": { "type": "nonsense" } } }""", TestContext.Current.CancellationToken);

        var install = await _cli.RunAsync("preset", "install", bad);

        install.ExitCode.ShouldBe(2, install.ToString());
        install.Stdout.ShouldContain("unknown provider type 'nonsense'");
        File.ReadAllText(_home.Home.ConfigFile).ShouldBe(original);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ImportCcr_LiteralKeyAndProxyPassword_AreMaskedInWhatItPrints(bool dryRun)
    {
        // Given a CCR config with its client key and a proxy login written out
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var ccr = Path.Combine(_home.Folder, "ccr.json");
        await File.WriteAllTextAsync(ccr, """
            {
              "APIKEY": "ccr-client-key-literal-0001",
              "PROXY_URL": "http://me:proxy-pass-literal@127.0.0.1:7890",
              "Providers": [{ "name": "or", "api_base_url": "https://openrouter.ai/api/v1/chat/completions", "api_key": "sk-or-literal-0002", "models": ["m"] }],
              "Router": { "default": "or,m" }
            }
            """, TestContext.Current.CancellationToken);

        // When it is imported (or shown with --dry-run)
        var result = await _cli.RunAsync(dryRun ? ["import", "ccr", ccr, "--dry-run"] : ["import", "ccr", ccr]);

        // Then what it prints names the settings but shows none of the secrets
        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("apiKey");
        result.Stdout.ShouldContain("http://me:********@127.0.0.1:7890");
        result.Stdout.ShouldNotContain("ccr-client-key-literal");
        result.Stdout.ShouldNotContain("proxy-pass-literal");
        result.Stdout.ShouldNotContain("sk-or-literal");
    }

    [Fact]
    public async Task ImportCcr_ConvertsProvidersRouterAndTransformers_AndSaysWhatWasLeft()
    {
        // Given the minimal claude-code-router config its guide shows, plus a few things Switchboard has no counterpart for
        _home.WriteConfig("""{ "providers": { "anthropic": { "type": "anthropic" } } }""");
        var ccr = Path.Combine(_home.Folder, "ccr.json");
        await File.WriteAllTextAsync(ccr, """
            {
              "LOG": true,
              "API_TIMEOUT_MS": 120000,
              "PROXY_URL": "http://127.0.0.1:7890",
              "NON_INTERACTIVE_MODE": true,
              "Providers": [{
                "name": "ollama",
                "api_base_url": "https://ollama.com/v1/chat/completions",
                "api_key": "$OLLAMA_API_KEY",
                "models": ["deepseek-v4-pro", "kimi-k2.6", "gemma3:4b"],
                "transformer": {
                  "use": ["deepseek", "cleancache", "vertex-magic"],
                  "deepseek-v4-pro": { "use": [["maxtoken", {"max_tokens": 65536}]] }
                }
              }, {
                "name": "claude-direct",
                "api_base_url": "https://api.anthropic.com/v1/messages",
                "models": ["claude-sonnet-4-5"],
                "transformer": { "use": ["anthropic"] }
              }],
              "Router": {
                "default": "ollama,deepseek-v4-pro",
                "think": "ollama,kimi-k2.6",
                "background": "ollama,gemma3:4b",
                "longContext": "claude-direct,claude-sonnet-4-5",
                "longContextThreshold": 80000,
                "custom": "ollama,gemma3:4b"
              }
            }
            """, TestContext.Current.CancellationToken);

        var result = await _cli.RunAsync("import", "ccr", ccr);

        result.ExitCode.ShouldBe(0, result.ToString());
        var config = JsonNode.Parse(File.ReadAllText(_home.Home.ConfigFile))!;
        var ollama = config["providers"]!["ollama"]!;
        ollama["type"]!.GetValue<string>().ShouldBe("openai");
        ollama["preset"]!.GetValue<string>().ShouldBe("deepseek");
        ollama["baseUrl"]!.GetValue<string>().ShouldBe("https://ollama.com/v1");
        ollama["apiKey"]!.GetValue<string>().ShouldBe("$OLLAMA_API_KEY");
        ollama["timeoutSeconds"]!.GetValue<int>().ShouldBe(120);
        ollama["transformers"]!.ToJsonString().ShouldBe("""["cleancache"]""");
        ollama["perModel"]!["deepseek-v4-pro"]!["transformers"]!.ToJsonString().ShouldBe("""[["maxtoken",{"max_tokens":65536}]]""");
        config["providers"]!["claude-direct"]!["type"]!.GetValue<string>().ShouldBe("anthropic");
        config["providers"]!["claude-direct"]!["baseUrl"]!.GetValue<string>().ShouldBe("https://api.anthropic.com");
        config["providers"]!["anthropic"].ShouldNotBeNull();
        config["routes"]!["default"]!.GetValue<string>().ShouldBe("ollama:deepseek-v4-pro");
        config["routes"]!["longContext"]!.GetValue<string>().ShouldBe("claude-direct:claude-sonnet-4-5");
        config["longContextThreshold"]!.GetValue<int>().ShouldBe(80000);
        config["claudeCode"]!["nonInteractive"]!.GetValue<bool>().ShouldBeTrue();
        config["proxyUrl"]!.GetValue<string>().ShouldBe("http://127.0.0.1:7890");

        result.Stdout.ShouldContain("not carried over:");
        result.Stdout.ShouldContain("transformer 'vertex-magic' has no Switchboard counterpart");
        result.Stdout.ShouldContain("Router.custom");
        result.Stdout.ShouldContain("LOG (true): Switchboard has no such setting");
        (await _cli.RunAsync("status")).Stdout.ShouldContain("(valid)");
    }

    [Fact]
    public async Task ImportCcr_MissingFile_SaysSo()
    {
        var result = await _cli.RunAsync("import", "ccr", Path.Combine(_home.Folder, "nope.json"));

        result.ExitCode.ShouldBe(2);
        result.Stdout.ShouldContain("nope.json does not exist");
    }
}
