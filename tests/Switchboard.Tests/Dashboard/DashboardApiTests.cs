using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Dashboard;

/// <summary>The dashboard's API: who may call it, and the config editor's promises.</summary>
public sealed class DashboardApiTests : IAsyncLifetime
{
    private const string TeamToken = "team-secret-0123456789abcdef";
    private const string ClientKey = "dashboard-key-0123456789";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private RunningSwitchboard _switchboard = null!;

    private static readonly string ConfigText = $$"""
        {
          // edited by hand: this comment must survive the editor
          "apiKey": "{{ClientKey}}",
          "defaultProvider": "anthropic",
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "https://api.anthropic.com", "headers": { "x-team-token": "{{TeamToken}}" } },
            "cloud": { "type": "ollama", "baseUrl": "https://ollama.com", "apiKey": "$OLLAMA_API_KEY" }
          }
        }
        """;

    public async ValueTask InitializeAsync() => _switchboard = await RunningSwitchboard.StartAsync(ConfigText);

    public async ValueTask DisposeAsync() => await _switchboard.DisposeAsync();

    private HttpRequestMessage Api(HttpMethod method, string path, object? json = null, bool key = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (key) request.Headers.Add("x-switchboard-key", ClientKey);
        if (json is not null) request.Content = JsonContent.Create(json, mediaType: null);
        return request;
    }

    private async Task<JsonObject> ReadConfigAsync()
    {
        using var response = await _switchboard.Client.SendAsync(Api(HttpMethod.Get, "/ui/api/config"), Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!.AsObject();
    }

    /// <summary>Opens the editor, changes its text with <paramref name="edit"/> and saves it.</summary>
    private async Task<HttpResponseMessage> EditAsync(Func<string, string> edit)
    {
        var view = await ReadConfigAsync();
        var text = edit(view["text"]!.GetValue<string>());
        return await _switchboard.Client.SendAsync(
            Api(HttpMethod.Put, "/ui/api/config", new { text, revision = view["revision"]!.GetValue<string>() }), Cancel);
    }

    [Theory]
    [InlineData("/ui/api/summary")]
    [InlineData("/ui/api/requests")]
    [InlineData("/ui/api/config")]
    [InlineData("/metrics")]
    public async Task Api_WithoutTheKey_Is401(string path)
    {
        using var response = await _switchboard.Client.SendAsync(Api(HttpMethod.Get, path, key: false), Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    public async Task Api_CrossOrigin_IsRefusedEvenWithTheKey(string header, string value)
    {
        using var request = Api(HttpMethod.Get, "/ui/api/config");
        request.Headers.Add(header, value);

        using var response = await _switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task Api_SameOrigin_IsServed()
    {
        using var request = Api(HttpMethod.Get, "/ui/api/summary?period=7d");
        request.Headers.Add("Origin", _switchboard.Address.GetLeftPart(UriPartial.Authority));
        request.Headers.Add("Sec-Fetch-Site", "same-origin");

        using var response = await _switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["period"]!.GetValue<string>().ShouldBe("7d");
    }

    [Fact]
    public async Task Config_IsShownWithSecretsMaskedReferencesAndCommentsKept()
    {
        var view = await ReadConfigAsync();

        var text = view["text"]!.GetValue<string>();
        text.ShouldNotContain(TeamToken);
        text.ShouldNotContain(ClientKey);
        text.ShouldContain("\"x-team-token\": \"********cdef\"");
        text.ShouldContain("\"apiKey\": \"********6789\"");
        text.ShouldContain("\"$OLLAMA_API_KEY\"");
        text.ShouldContain("// edited by hand");
        view["file"]!.GetValue<string>().ShouldBe(_switchboard.Home.Home.ConfigFile);
    }

    [Fact]
    public async Task Save_InvalidEdit_IsRefusedWithItsPathAndTheFileIsUntouched()
    {
        using var response = await EditAsync(text =>
            text.Replace("\"defaultProvider\": \"anthropic\"", "\"defaultProvider\": \"nowhere\", \"port\": 70000"));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var paths = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!["problems"]!.AsArray()
            .Select(p => p!["path"]!.GetValue<string>()).ToList();
        paths.ShouldBe(["$.port", "$.defaultProvider"], ignoreOrder: true);
        (await File.ReadAllTextAsync(_switchboard.Home.Home.ConfigFile, Cancel)).ShouldBe(ConfigText);
    }

    [Fact]
    public async Task Save_ValidEdit_RestoresMaskedSecretsKeepsReferencesAndIsServed()
    {
        using var response = await EditAsync(text => text.Replace("\"providers\": {",
            "\"providers\": {\n    \"added\": { \"type\": \"ollama\", \"baseUrl\": \"http://127.0.0.1:11434\" },"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        var onDisk = await File.ReadAllTextAsync(_switchboard.Home.Home.ConfigFile, Cancel);
        onDisk.ShouldContain($"\"x-team-token\": \"{TeamToken}\"");
        onDisk.ShouldContain($"\"apiKey\": \"{ClientKey}\"");
        onDisk.ShouldContain("\"apiKey\": \"$OLLAMA_API_KEY\"");
        onDisk.ShouldContain("// edited by hand");
        _switchboard.Server.Config.Current.Config.Providers.Keys.ShouldContain("added");
        _switchboard.Server.Config.Current.Version.ShouldBe(2);
    }

    [Fact]
    public async Task Save_ConfigMadePrivate_StaysPrivate()
    {
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(_switchboard.Home.Home.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        using var response = await EditAsync(text => text.Replace("\"defaultProvider\": \"anthropic\"", "\"defaultProvider\": \"cloud\""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        (await File.ReadAllTextAsync(_switchboard.Home.Home.ConfigFile, Cancel)).ShouldContain("\"defaultProvider\": \"cloud\"");
        File.GetUnixFileMode(_switchboard.Home.Home.ConfigFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Save_ByARootDaemonOnAUsersConfig_TheConfigStaysTheUsers()
    {
        if (!UnixOwner.CanTest) return;
        await UnixOwner.SetAsync(_switchboard.Home.Home.ConfigFile, "4242:4343");

        using var response = await EditAsync(text => text.Replace("\"defaultProvider\": \"anthropic\"", "\"defaultProvider\": \"cloud\""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        (await UnixOwner.OfAsync(_switchboard.Home.Home.ConfigFile)).ShouldBe("4242:4343");
    }

    [Fact]
    public async Task Save_MaskedSecretMovedElsewhere_IsRefused()
    {
        using var response = await EditAsync(text => text.Replace("\"apiKey\": \"$OLLAMA_API_KEY\"", "\"apiKey\": \"********cdef\""));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("providers.cloud.apiKey");
        (await File.ReadAllTextAsync(_switchboard.Home.Home.ConfigFile, Cancel)).ShouldBe(ConfigText);
    }

    [Fact]
    public async Task Save_FileChangedSinceLoaded_IsAConflict()
    {
        var view = await ReadConfigAsync();
        var changed = ConfigText.Replace("edited by hand", "edited elsewhere");
        await File.WriteAllTextAsync(_switchboard.Home.Home.ConfigFile, changed, Cancel);

        using var response = await _switchboard.Client.SendAsync(
            Api(HttpMethod.Put, "/ui/api/config", new { text = view["text"]!.GetValue<string>(), revision = view["revision"]!.GetValue<string>() }), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await File.ReadAllTextAsync(_switchboard.Home.Home.ConfigFile, Cancel)).ShouldBe(changed);
    }

    [Fact]
    public async Task Save_NotJson_IsRefusedSoNoFormCanPostIt()
    {
        using var request = Api(HttpMethod.Put, "/ui/api/config");
        request.Content = new FormUrlEncodedContent([new("text", "{}"), new("revision", "x")]);

        using var response = await _switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Check_ReportsProblemsWithoutWriting()
    {
        var view = await ReadConfigAsync();
        using var response = await _switchboard.Client.SendAsync(Api(HttpMethod.Post, "/ui/api/config/check",
            new { text = "{ \"providers\": { \"x\": { \"type\": \"nope\" } } }", revision = view["revision"]!.GetValue<string>() }), Cancel);

        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync(Cancel))!;
        result["valid"]!.GetValue<bool>().ShouldBeFalse();
        result["problems"]!.AsArray().Select(p => p!["path"]!.GetValue<string>()).ShouldContain("$.providers.x.type");
        (await File.ReadAllTextAsync(_switchboard.Home.Home.ConfigFile, Cancel)).ShouldBe(ConfigText);
    }

    [Fact]
    public async Task Pages_UiWithoutSlash_RedirectsSoRelativeLinksWork()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _switchboard.Address };
        using var response = await client.GetAsync("/ui", Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/ui/");
    }

    [Theory]
    [InlineData("/ui/", "text/html")]
    [InlineData("/ui/app.js", "text/javascript")]
    [InlineData("/ui/style.css", "text/css")]
    public async Task Pages_AreServedWithoutTheKeyAndWithAStrictPolicy(string path, string type)
    {
        using var response = await _switchboard.Client.GetAsync(path, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(type);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'self'");
    }

    [Theory]
    [InlineData("/ui/..%2Fconfig.json")]
    [InlineData("/ui/config.json")]
    [InlineData("/ui/Switchboard.Core.dll")]
    public async Task Pages_NothingButTheEmbeddedFiles(string path)
    {
        using var response = await _switchboard.Client.GetAsync(path, Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class DashboardHostTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Api_WithoutKey_AnswersOnlyLoopbackHostNames()
    {
        // A web page that points its own name at 127.0.0.1 (DNS rebinding) sends that name as Host
        await using var switchboard = await RunningSwitchboard.StartAsync();
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/ui/api/config");
        rebound.Headers.Host = $"attacker.example:{switchboard.Address.Port}";
        using var local = new HttpRequestMessage(HttpMethod.Get, "/ui/api/config");
        local.Headers.Host = $"localhost:{switchboard.Address.Port}";

        (await switchboard.Client.SendAsync(rebound, Cancel)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await switchboard.Client.SendAsync(local, Cancel)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Config_BrokenFileOnDisk_ShowsTheServingConfigMaskedAndItsProblems()
    {
        await using var switchboard = await RunningSwitchboard.StartAsync("""
            {"providers":{"anthropic":{"type":"anthropic","apiKey":"sk-ant-api03-literal-secret-value"}}}
            """);
        await File.WriteAllTextAsync(switchboard.Home.Home.ConfigFile, "{ \"providers\": { broken", Cancel);

        var view = JsonNode.Parse(await switchboard.Client.GetStringAsync("/ui/api/config", Cancel))!;

        view["text"]!.GetValue<string>().ShouldNotContain("literal-secret");
        view["text"]!.GetValue<string>().ShouldContain("********alue");
        view["problems"]!.AsArray().ShouldNotBeEmpty();
    }
}
