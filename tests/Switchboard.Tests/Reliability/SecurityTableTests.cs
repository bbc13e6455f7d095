using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Reliability;

/// <summary>
/// The security table, against the published binary over loopback: who may call which endpoint (no key, a wrong
/// key, another site, a body a web page could send), an apiKey whose variable is empty, and where secrets go. Each
/// upstream has credentials of its own, and none may reach another upstream, the log, <c>/health</c>,
/// <c>/metrics</c>, <c>/v1/models</c>, the dashboard's API or the ledger.
/// </summary>
[UsesPublishedBinary]
public sealed class SecurityTableTests
{
    private const string ClientKey = "sb-client-key-5EC2E7-0001";
    private const string OAuthToken = "sk-ant-oat01-5EC2E7-0002";
    private const string OllamaKey = "ollama-key-5EC2E7-0003";
    private const string OpenAIKey = "openai-key-5EC2E7-0004";
    private const string OpenAITeamToken = "openai-team-5EC2E7-0005";
    private const string SparePassword = "spare-pass-5EC2E7-0006";
    private const string ProxyPassword = "proxy-pass-5EC2E7-0007";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Each endpoint the daemon serves, with a body where it takes one.</summary>
    private static readonly (string Method, string Path, string? Body)[] Protected =
    [
        ("POST", "/v1/messages", AnthropicWire.Request(stream: false)),
        ("POST", "/v1/messages/count_tokens", AnthropicWire.Request(stream: false)),
        ("POST", "/gm:gemini-2.5-pro/v1/messages", AnthropicWire.Request(stream: false)),
        ("POST", "/gm/v1/messages/count_tokens", AnthropicWire.Request(stream: false)),
        ("GET", "/v1/models", null),
        ("GET", "/metrics", null),
        ("GET", "/api/statusline?session=s1", null),
        ("GET", "/ui/api/summary", null),
        ("GET", "/ui/api/requests", null),
        ("GET", "/ui/api/live", null),
        ("GET", "/ui/api/config", null),
        ("POST", "/ui/api/config/check", """{"text":"{}","revision":"x"}"""),
        ("PUT", "/ui/api/config", """{"text":"{}","revision":"x"}"""),
    ];

    /// <summary>What answers without the key: it says Switchboard is there and how it is, and holds no secret.</summary>
    private static readonly (string Method, string Path, string? Body)[] Public =
        [("GET", "/health", null), ("GET", "/", null), ("GET", "/api/hello", null), ("GET", "/ui/", null)];

    private static string Config(ScriptedProviders upstreams, string apiKey) => $$"""
        {
          "apiKey": "{{apiKey}}",
          "proxyUrl": "http://proxyuser:{{ProxyPassword}}@127.0.0.1:9",
          "defaultProvider": "anthropic",
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "{{upstreams.Anthropic.BaseUrl}}" },
            "ol": { "type": "ollama", "baseUrl": "{{upstreams.Ollama.BaseUrl}}", "apiKey": "{{OllamaKey}}" },
            "oa": { "type": "openai", "baseUrl": "{{upstreams.OpenAI.BaseUrl}}", "apiKey": "{{OpenAIKey}}", "headers": { "X-Team-Token": "{{OpenAITeamToken}}" } },
            "gm": { "type": "gemini", "baseUrl": "{{upstreams.Gemini.BaseUrl}}", "apiKey": "{{ScriptedGemini.Key}}" },
            "br": { "type": "bedrock", "baseUrl": "{{upstreams.Bedrock.BaseUrl}}", "region": "{{ScriptedBedrock.Region}}", "apiKey": "{{ScriptedBedrock.ApiKey}}" },
            "spare": { "type": "openai", "baseUrl": "http://spareuser:{{SparePassword}}@127.0.0.1:9/v1", "models": ["spare-model"] }
          }
        }
        """;

    /// <summary>Which secrets each upstream may see: its own, and (Anthropic) the OAuth token the client passes through.</summary>
    private static readonly Dictionary<string, string[]> Own = new()
    {
        ["anthropic"] = [OAuthToken],
        ["ol"] = [OllamaKey],
        ["oa"] = [OpenAIKey, OpenAITeamToken],
        ["gm"] = [ScriptedGemini.Key],
        ["br"] = [ScriptedBedrock.ApiKey],
    };

    private static readonly string[] AllSecrets =
        [ClientKey, OAuthToken, OllamaKey, OpenAIKey, OpenAITeamToken, SparePassword, ProxyPassword, ScriptedGemini.Key, ScriptedBedrock.ApiKey];

    private static Task<ScriptedProviders> StartUpstreamsAsync() => ScriptedProviders.StartAsync((context, request) =>
        request.BodyText.Contains("\"stream\":true", StringComparison.Ordinal)
            ? AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("m", "ok"))
            : AnthropicWire.WriteJsonAsync(context, AnthropicWire.TextMessage("m", "ok")));

    private static HttpRequestMessage Request((string Method, string Path, string? Body) endpoint, string contentType = "application/json",
        params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path);
        if (endpoint.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(endpoint.Body));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    /// <summary>One case: the request gets <paramref name="status"/> in Anthropic's shape and no upstream hears of it.</summary>
    private static Task RefusedAsync(PublishedServer server, ScriptedProviders upstreams, string name, HttpRequestMessage request,
        HttpStatusCode status, string type, string? mentions = null) =>
        ReliabilityTally.CaseAsync(ReliabilityTally.Security, name, async () =>
        {
            var before = upstreams.Counts();
            using (request)
            using (var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel))
            {
                var message = await response.ShouldBeAnthropicErrorAsync(status, type);
                if (mentions is not null) message.ShouldContain(mentions, Case.Insensitive, name);
                response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse(name);
            }
            upstreams.ReceivedSince(before).Select(r => $"{r.Upstream} {r.Request.Method} {r.Request.RawTarget}")
                .ShouldBeEmpty($"case '{name}' reached an upstream");
        });

    [Fact]
    public async Task EveryEndpoint_NoKeyWrongKeyAnotherSiteOrABodyThatIsNotJson_IsRefusedAndReachesNoUpstream()
    {
        await using var upstreams = await StartUpstreamsAsync();
        await using var server = await PublishedServer.StartAsync(Config(upstreams, ClientKey));
        var otherSites = new (string Name, string Value)[]
        {
            ("Origin", "http://evil.example"), ("Origin", $"http://localhost:{server.Port + 1}"), ("Origin", "null"),
            ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Site", "same-site"),
        };

        foreach (var endpoint in Protected)
        {
            var at = $"{endpoint.Method} {endpoint.Path}";
            await RefusedAsync(server, upstreams, $"{at} without a key", Request(endpoint), HttpStatusCode.Unauthorized, "authentication_error", "apiKey");
            foreach (var header in new[] { "x-api-key", "x-switchboard-key" })
                await RefusedAsync(server, upstreams, $"{at} with a wrong {header}", Request(endpoint, headers: (header, "wrong-key")),
                    HttpStatusCode.Unauthorized, "authentication_error", "apiKey");
            await RefusedAsync(server, upstreams, $"{at} with a wrong bearer", Request(endpoint, headers: ("Authorization", "Bearer wrong-key")),
                HttpStatusCode.Unauthorized, "authentication_error", "apiKey");
            if (endpoint.Body is not null)
                foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b" })
                    await RefusedAsync(server, upstreams, $"{at} as {type}", Request(endpoint, type, ("x-api-key", ClientKey)),
                        HttpStatusCode.UnsupportedMediaType, "invalid_request_error", "application/json");
        }
        foreach (var endpoint in Protected.Concat(Public))
            foreach (var site in otherSites)
                await RefusedAsync(server, upstreams, $"{endpoint.Method} {endpoint.Path} with {site.Name}: {site.Value}",
                    Request(endpoint, headers: [site, ("x-api-key", ClientKey)]), HttpStatusCode.Forbidden, "permission_error", "web page");

        // A web page's classic: a text/plain POST from another site, with no key; refused before anything else.
        await RefusedAsync(server, upstreams, "cross-site text/plain POST /v1/messages",
            Request(Protected[0], "text/plain", ("Origin", "http://evil.example"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "no-cors")),
            HttpStatusCode.Forbidden, "permission_error");

        await ReliabilityTally.CaseAsync(ReliabilityTally.Security, "health tells only the key's holder the config and providers", async () =>
        {
            var anyone = JsonNode.Parse(await server.Client.GetStringAsync("/health", Cancel))!;
            anyone["status"]!.GetValue<string>().ShouldBe("ok");
            anyone["providers"].ShouldBeNull();
            anyone["config"]!["file"].ShouldBeNull();
            anyone["config"]!["problems"].ShouldBeNull();
            using var request = Request(Public[0], headers: ("x-api-key", ClientKey));
            using var holder = await server.Client.SendAsync(request, Cancel);
            var full = JsonNode.Parse(await holder.Content.ReadAsStringAsync(Cancel))!;
            full["providers"]!.AsArray().Count.ShouldBe(6);
            full["config"]!["file"]!.GetValue<string>().ShouldBe(server.Home.Home.ConfigFile);
        });

        await ReliabilityTally.CaseAsync(ReliabilityTally.Security, "the key itself is served", async () =>
        {
            using var served = await server.Client.SendAsync(Request(Protected[0], "application/json; charset=utf-8", ("x-api-key", ClientKey)), Cancel);
            served.StatusCode.ShouldBe(HttpStatusCode.OK, await served.Content.ReadAsStringAsync(Cancel));
        });
        server.EnsureHealthy();
    }

    [Fact]
    public async Task ApiKeyVariableEmpty_EveryProtectedEndpointIs401NamingTheVariable_AndHealthWarns()
    {
        const string variable = "SWITCHBOARD_SECURITY_TABLE_KEY";
        await using var upstreams = await StartUpstreamsAsync();
        await using var server = await PublishedServer.StartAsync(Config(upstreams, "$" + variable),
            new Dictionary<string, string> { [variable] = "" });

        foreach (var endpoint in Protected)
        foreach (var presented in new[] { "", "anything" })
            await RefusedAsync(server, upstreams, $"{endpoint.Method} {endpoint.Path} with apiKey's variable empty, key '{presented}'",
                Request(endpoint, headers: ("x-api-key", presented)), HttpStatusCode.Unauthorized, "authentication_error", variable);

        await ReliabilityTally.CaseAsync(ReliabilityTally.Security, "health warns when apiKey's variable is empty", async () =>
        {
            var health = JsonNode.Parse(await server.Client.GetStringAsync("/health", Cancel))!;
            health["status"]!.GetValue<string>().ShouldBe("degraded");
            health["warnings"]!.AsArray().ShouldHaveSingleItem()!.GetValue<string>().ShouldContain(variable);
        });
        server.EnsureHealthy();
    }

    [Fact]
    public async Task Secrets_EachUpstreamSeesOnlyItsOwn_AndNoneShowsInTheLogHealthMetricsModelsDashboardOrLedger()
    {
        await using var upstreams = await StartUpstreamsAsync();
        await using var server = await PublishedServer.StartAsync(Config(upstreams, ClientKey));
        (string, string)[] client = [("x-switchboard-key", ClientKey), ("x-api-key", ClientKey), ("Authorization", "Bearer " + OAuthToken)];
        var models = new[] { "claude-sonnet-4-5", "ol:qwen3:8b", "oa:gpt-test", "gm:gemini-2.5-pro", "br:anthropic.claude-test" };

        // When every upstream is called, streaming and whole, and asked to count and list
        var served = 0;
        foreach (var model in models)
        foreach (var stream in new[] { true, false })
        {
            using var response = await server.Client.SendAsync(
                Request(("POST", "/v1/messages", AnthropicWire.Request(model, stream)), headers: client), Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{model}: {await response.Content.ReadAsStringAsync(Cancel)}");
            served++;
        }
        foreach (var model in models)
            (await server.Client.SendAsync(Request(("POST", "/v1/messages/count_tokens", AnthropicWire.Request(model, false)), headers: client), Cancel))
                .Dispose();

        // Then each upstream got its own credentials (so the check below looks at real traffic)
        var received = upstreams.ReceivedSince([0, 0, 0, 0, 0])
            .Select(r => (r.Upstream, r.Request, Seen: $"{r.Request.Method} {r.Request.RawTarget}?{r.Request.Query}\n" +
                string.Join("\n", r.Request.Headers.Select(h => $"{h.Key}: {string.Join(",", h.Value)}")) + "\n" + r.Request.BodyText))
            .ToList();
        foreach (var (upstream, secrets) in Own)
            foreach (var secret in secrets)
                received.Where(r => r.Upstream == upstream).ShouldContain(r => r.Seen.Contains(secret, StringComparison.Ordinal),
                    $"{upstream} never received its own {secret}");

        // And no upstream saw a credential that is not its own, in a header, the URL or the body
        foreach (var (upstream, recorded, seen) in received)
        {
            foreach (var secret in AllSecrets.Except(Own[upstream]))
                await ReliabilityTally.CaseAsync(ReliabilityTally.Security, $"{upstream} {recorded.Method} {recorded.Path} sees no foreign secret", () =>
                    seen.Contains(secret, StringComparison.Ordinal)
                        ? throw new LeakException($"upstream {upstream} received {secret}:\n{seen}")
                        : Task.CompletedTask);
        }

        // And no secret shows where anyone who can read the machine's screens and files would see it
        var key = new[] { ("x-switchboard-key", ClientKey) };
        var places = new List<(string Name, Func<Task<string>> Read)>
        {
            ("/health", () => server.Client.GetStringAsync("/health", Cancel)),
            ("/health with the key", () => ReadAsync(server, "/health", key)),
            ("/metrics", () => ReadAsync(server, "/metrics", key)),
            ("/v1/models", () => ReadAsync(server, "/v1/models?limit=1000", key)),
            ("dashboard config", () => ReadAsync(server, "/ui/api/config", key)),
            ("dashboard requests", () => ReadAsync(server, "/ui/api/requests?period=7d", key)),
            ("ledger", async () => await LedgerBytesAsync(server, served, key)),
            ("log", () => Task.FromResult(server.Log)),
        };
        foreach (var (place, read) in places)
        {
            var text = await read();
            foreach (var secret in AllSecrets)
                await ReliabilityTally.CaseAsync(ReliabilityTally.Security, $"{place} holds no {secret}", () =>
                    text.Contains(secret, StringComparison.Ordinal)
                        ? throw new LeakException($"{place} shows {secret}:\n{text}")
                        : Task.CompletedTask);
        }
        // The masks leave URLs recognisable: the login's user and the host stay.
        (await ReadAsync(server, "/health", key)).ShouldContain("http://spareuser:********@127.0.0.1:9/v1");
        server.EnsureHealthy();
    }

    private static async Task<string> ReadAsync(PublishedServer server, string path, (string, string)[] headers)
    {
        using var response = await server.Client.SendAsync(Request(("GET", path, null), headers: headers), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{path}: {text}");
        return text;
    }

    /// <summary>The ledger's files as text, once it holds every served request (so an empty ledger cannot pass).</summary>
    private static async Task<string> LedgerBytesAsync(PublishedServer server, int served, (string, string)[] key)
    {
        await Eventually.WaitAsync(async () => JsonNode.Parse(await ReadAsync(server, "/ui/api/requests?period=7d&limit=1000", key))!.AsArray().Count,
            count => count >= served, count => $"{served} ledger records; found {count}", TimeSpan.FromSeconds(30));
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(server.Home.Folder, Path.GetFileName(server.Home.Home.LedgerFile) + "*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(await reader.ReadToEndAsync(Cancel));
        }
        text.Length.ShouldBeGreaterThan(0, "the ledger has no file");
        return text.ToString();
    }
}
