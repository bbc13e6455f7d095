using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Reliability.BadInputBench;

namespace Switchboard.Tests.Reliability;

/// <summary>
/// The bad-request table, against the published binary over loopback: every malformed request gets a clear 400 (or
/// 408, 413, 415) in Anthropic's error shape naming what to fix, reaches no upstream (or, when it must be served,
/// reaches exactly the right place), and leaves the daemon serving with no unhandled exception in its log.
/// </summary>
[UsesPublishedBinary]
public sealed class BadRequestTableTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string Body(string messages = """[{"role":"user","content":"hi"}]""", string extra = "", string model = "claude-sonnet-4-5") =>
        $$"""{"model":{{JsonValue.Create(model).ToJsonString()}},"max_tokens":64{{extra}},"messages":{{messages}}}""";

    private static string User(string content) => $$"""[{"role":"user","content":{{content}}}]""";

    /// <summary>Bodies that parse or nearly parse, each with the exact message it must get.</summary>
    public static readonly (string Name, string Body, string Message)[] Malformed =
    [
        ("null block in content", Body(User("[null]")), "messages.0.content.0: Input should be a valid dictionary"),
        ("null block in content to gemini", Body(User("""[{"type":"text","text":"a"},null]"""), model: "gm:gemini-2.5-pro"), "messages.0.content.1: Input should be a valid dictionary"),
        ("null in system", Body(extra: ""","system":[null]"""), "system.0: Input should be a valid dictionary"),
        ("null in tools", Body(extra: ""","tools":[null]"""), "tools.0: Input should be a valid dictionary"),
        ("null in stop_sequences", Body(extra: ""","stop_sequences":["x",null]"""), "stop_sequences.1: Input should be a valid string"),
        ("null in tool_result content", Body("""[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Read","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[null]}]}]"""),
            "messages.1.content.0.content.0: Input should be a valid dictionary"),
        ("null message", Body("[null]"), "messages.0: Input should be a valid dictionary"),
        ("content 42", Body(User("42")), "messages.0.content: Input should be a valid string or a list of content blocks (got a number)"),
        ("content object", Body(User("""{"type":"text","text":"hi"}""")), "messages.0.content: Input should be a valid string or a list of content blocks (got an object)"),
        ("system 42", Body(extra: ""","system":42"""), "system: Input should be a valid string or a list of text blocks (got a number)"),
        ("block 42", Body(User("[42]")), "messages.0.content.0: Input should be a valid dictionary"),
        ("block string", Body(User("""["hi"]""")), "messages.0.content.0: Input should be a valid dictionary"),
        ("block without type", Body(User("""[{"text":"hi"}]""")), "messages.0.content.0.type: Field required"),
        ("text block without text", Body(User("""[{"type":"text"}]""")), "messages.0.content.0.text.text: Field required"),
        ("text 42", Body(User("""[{"type":"text","text":42}]""")), "messages.0.content.0.text: Input should be a valid string"),
        ("image without source", Body(User("""[{"type":"image"}]""")), "messages.0.content.0.image.source: Field required"),
        ("image source string", Body(User("""[{"type":"image","source":"x"}]""")), "messages.0.content.0.source: Input should be a valid dictionary"),
        ("tool_use without id", Body("""[{"role":"user","content":"go"},{"role":"assistant","content":[{"type":"tool_use","name":"Read","input":{}}]}]"""),
            "messages.1.content.0.tool_use.id: Field required"),
        ("tool_use input list", Body("""[{"role":"user","content":"go"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"Read","input":[]}]}]"""),
            "messages.1.content.0.tool_use.input: Input should be a valid dictionary (got a list)"),
        ("tool_result without tool_use_id", Body(User("""[{"type":"tool_result","content":"x"}]""")), "messages.0.content.0.tool_result.tool_use_id: Field required"),
        ("tool_result content 42", Body(User("""[{"type":"tool_result","tool_use_id":"t","content":42}]""")),
            "messages.0.content.0.content: Input should be a valid string or a list of content blocks (got a number)"),
        ("nested block without type", Body(User("""[{"type":"tool_result","tool_use_id":"t","content":[{"text":"x"}]}]""")),
            "messages.0.content.0.content.0.type: Field required"),
        ("tool without name", Body(extra: ""","tools":[{"input_schema":{"type":"object"}}]"""), "tools.0.name: Field required"),
        ("tool without input_schema", Body(extra: ""","tools":[{"name":"Read"}]"""), "tools.0.input_schema: Field required"),
        ("tool name 42", Body(extra: ""","tools":[{"name":42,"input_schema":{}}]"""), "tools.0.name: Input should be a valid string"),
        ("tools object", Body(extra: ""","tools":{}"""), "tools: Input should be a valid list"),
        ("tool_choice string", Body(extra: ""","tool_choice":"auto" """), "tool_choice: Input should be a valid dictionary"),
        ("tool_choice without type", Body(extra: ""","tool_choice":{}"""), "tool_choice.type: Field required"),
        ("tool_choice tool without name", Body(extra: ""","tool_choice":{"type":"tool"}"""), "tool_choice.tool.name: Field required"),
        ("negative thinking budget", Body(extra: ""","thinking":{"type":"enabled","budget_tokens":-5}"""),
            "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"),
        ("thinking without budget", Body(extra: ""","thinking":{"type":"enabled"}"""), "thinking.enabled.budget_tokens: Field required"),
        ("thinking without type", Body(extra: ""","thinking":{"budget_tokens":2048}"""), "thinking.type: Field required"),
        ("max_tokens string", """{"model":"m","max_tokens":"lots","messages":[]}""", "max_tokens: Input should be a valid integer"),
        ("max_tokens zero", """{"model":"m","max_tokens":0,"messages":[]}""", "max_tokens: Input should be greater than or equal to 1"),
        ("max_tokens too big", """{"model":"m","max_tokens":1e40,"messages":[]}""", "max_tokens: Input should be a valid integer"),
        ("stream string", Body(extra: ""","stream":"yes" """), "stream: Input should be a valid boolean"),
        ("temperature string", Body(extra: ""","temperature":"hot" """), "temperature: Input should be a valid number"),
        ("messages object", """{"model":"m","max_tokens":5,"messages":{}}""", "messages: Input should be a valid list"),
        ("role 42", Body("""[{"role":42,"content":"x"}]"""), "messages.0.role: Input should be a valid string"),
        ("metadata 42", Body(extra: ""","metadata":42"""), "metadata: Input should be a valid dictionary"),
        ("body is a list", "[]", "The request body must be a JSON object (a Messages API request)."),
        ("body is null", "null", "The request body must be a JSON object (a Messages API request), not null."),
        ("body is a number", "42", "The request body must be a JSON object (a Messages API request)."),
        ("unpaired surrogate", Body(User("\"cut \\ud83d here\"")),
            "The request body is not valid JSON: no low surrogate in string at messages.0.content (half of a \\uD800-\\uDFFF pair, as when a string is cut inside an emoji); send the whole pair or neither."),
        ("unpaired surrogate in a tool input", Body("""[{"role":"user","content":"go"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"Read","input":{"path":"\udc00"}}]}]"""),
            "The request body is not valid JSON: no low surrogate in string at messages.1.content.0.input.path (half of a \\uD800-\\uDFFF pair, as when a string is cut inside an emoji); send the whole pair or neither."),
    ];

    [Fact]
    public async Task MalformedBodies_Get400NamingTheJsonPath_AndReachNoUpstream()
    {
        await using var bench = await StartAsync();

        foreach (var (name, body, expected) in Malformed)
            await bench.CaseAsync(name, async () => ShouldBeError(await bench.PostAsync("/v1/messages", body), HttpStatusCode.BadRequest).ShouldBe(expected, name));
        await bench.CaseAsync("syntax error", async () =>
            ShouldBeError(await bench.PostAsync("/v1/messages", """{"model": "m", """), HttpStatusCode.BadRequest)
                .ShouldStartWith("The request body is not valid JSON (line 1, column 16): "));
        await bench.CaseAsync("deep nesting", async () =>
            ShouldBeError(await bench.PostAsync("/v1/messages", Body(User($"[{{\"type\":\"x\",\"deep\":{new string('[', 5000)}}}]"))), HttpStatusCode.BadRequest)
                .ShouldStartWith("The request body nests JSON more than 64 levels deep"));
        await bench.CaseAsync("empty body", async () =>
            ShouldBeError(await bench.PostAsync("/v1/messages", ""), HttpStatusCode.BadRequest).ShouldContain("empty"));
        await bench.CaseAsync("invalid UTF-8", async () =>
            ShouldBeError(await bench.PostAsync("/v1/messages", [.. "{\"model\":\"m"u8.ToArray(), 0xFF, .. "\"}"u8.ToArray()]), HttpStatusCode.BadRequest)
                .ShouldBe("The request body is not valid UTF-8 (the first bad byte is at offset 11); send the JSON encoded as UTF-8."));
        await bench.CaseAsync("count_tokens with a null block", async () =>
            ShouldBeError(await bench.PostAsync("/v1/messages/count_tokens", """{"model":"m","messages":[{"role":"user","content":[null]}]}"""), HttpStatusCode.BadRequest)
                .ShouldBe("messages.0.content.0: Input should be a valid dictionary"));
        bench.Server.EnsureHealthy();
    }

    [Fact]
    public async Task OddModelNames_AreRefusedClearly_OrSentOnAsOneEscapedSegment()
    {
        await using var bench = await StartAsync();

        foreach (var (name, model, expected) in new[]
                 {
                     ("model with CR LF", "claude\r\nx-injected: 1", "model: Input should not contain control characters (U+000D at position 6); a model name is one line of text"),
                     ("model with NUL", "gm:gemini\0x", "model: Input should not contain control characters (U+0000 at position 9); a model name is one line of text"),
                     ("empty model", "", "model: Field required"),
                     ("very long model", "gm:" + new string('g', 600), "model: String should have at most 512 characters (got 603)"),
                     ("a,b,c", "a,b,c", "Unknown provider 'a' in model 'a,b,c'. Configured providers: anthropic, br, gm, oa, ol."),
                     ("provider: without a model", "gm:", "Model 'gm:' names provider 'gm' but no model after the ':'; write gm:<model>."),
                     ("provider, without a model", "gm,", "Model 'gm,' names provider 'gm' but no model after the ','; write gm,<model>."),
                     ("dot-dot model for bedrock", "br:..", "Target 'br:..' (chosen by model): '..' is not a model name. Fix the model name in the request, the URL or config.json."),
                     ("dot-dot model for gemini", "gm:models/..", "'..' cannot be sent as a model name: a URL resolves it away instead of sending it."),
                 })
            await bench.CaseAsync(name, async () =>
                ShouldBeError(await bench.PostAsync("/v1/messages", Body(model: model)), HttpStatusCode.BadRequest).ShouldBe(expected, name));

        // Names that are not a provider's go to the default provider (Anthropic) unchanged, byte for byte.
        foreach (var model in new[] { ":", ",", "模型-🚀", "claude:x:y" })
        {
            var body = Body(model: model);
            await bench.CaseAsync($"plain model '{model}'", async () => (await bench.PostAsync("/v1/messages", body)).Status.ShouldBe(200),
                received => received.ShouldHaveSingleItem().Request.BodyText.ShouldBe(body));
        }

        // A model name that would steer Gemini's URL stays one escaped segment, and the key goes nowhere else.
        foreach (var (model, rawTarget) in new[]
                 {
                     ("gm:../../../etc/passwd", "/v1beta/models/..%2F..%2F..%2Fetc%2Fpasswd:generateContent"),
                     ("gm:gemini-x?key=stolen#frag", "/v1beta/models/gemini-x%3Fkey%3Dstolen%23frag:generateContent"),
                     ("gm:模型 x", "/v1beta/models/%E6%A8%A1%E5%9E%8B%20x:generateContent"),
                 })
            await bench.CaseAsync($"gemini model '{model}'", async () => (await bench.PostAsync("/v1/messages", Body(model: model))).Status.ShouldBe(200),
                received =>
                {
                    var (upstream, request) = received.ShouldHaveSingleItem();
                    upstream.ShouldBe("gm");
                    request.RawTarget.ShouldBe(rawTarget);
                    request.Query.ShouldBeEmpty();
                    request.Header("x-goog-api-key").ShouldBe(ScriptedGemini.Key);
                });

        // Bedrock and Ollama the same: Bedrock's model id is one segment, Ollama's goes in the body only.
        await bench.CaseAsync("bedrock model with slashes", async () => (await bench.PostAsync("/v1/messages", Body(model: "br:../x?y"))).Status.ShouldBe(200),
            received => received.ShouldHaveSingleItem().Request.RawTarget.ShouldBe("/model/..%2Fx%3Fy/converse-stream"));
        await bench.CaseAsync("ollama model with slashes", async () => (await bench.PostAsync("/v1/messages", Body(model: "ol:../qwen3:8b?x"))).Status.ShouldBe(404),
            received => received.Select(r => r.Request.RawTarget).ShouldBe(["/api/show", "/api/chat"]));
        bench.Server.EnsureHealthy();
    }

    [Fact]
    public async Task PinnedUrls_CannotWalkOutOfTheirSegment()
    {
        await using var bench = await StartAsync();

        foreach (var (name, path, expected) in new[]
                 {
                     ("encoded traversal as provider", "/..%2F..%2Fetc/v1/messages", "The URL pins the target '../../etc', but '../../etc' is not a configured provider (configured: anthropic, br, gm, oa, ol). Use /provider:model/v1/messages, or /v1/messages to route by the body's model."),
                     ("unknown provider", "/nope:m/v1/messages", "The URL pins the target 'nope:m', but 'nope' is not a configured provider (configured: anthropic, br, gm, oa, ol). Use /provider:model/v1/messages, or /v1/messages to route by the body's model."),
                     ("provider without model", "/gm:/v1/messages", "The URL pins 'gm:' but names no model after the colon; use /gm:model/v1/messages or /gm/v1/messages."),
                     ("encoded dot segment as model", "/gm:%2E%2E/v1/messages", "Target 'gm:..' (chosen by url): '..' is not a model name. Fix the model name in the request, the URL or config.json."),
                     ("encoded control character", "/gm:a%0Db/v1/messages", "Target 'gm:a\\u000Db' (chosen by url): Input should not contain control characters (U+000D at position 1); a model name is one line of text. Fix the model name in the request, the URL or config.json."),
                 })
            await bench.CaseAsync($"pinned {name}", async () =>
                ShouldBeError(await bench.PostAsync(path, Body()), HttpStatusCode.BadRequest).ShouldBe(expected, name));

        await bench.CaseAsync("pinned gemini traversal", async () => (await bench.PostAsync("/gm:..%2F..%2Fetc/v1/messages", Body())).Status.ShouldBe(200),
            received => received.ShouldHaveSingleItem().Request.RawTarget.ShouldBe("/v1beta/models/..%2F..%2Fetc:generateContent"));
        await bench.CaseAsync("pinned double-encoded slash is still one segment", async () => (await bench.PostAsync("/gm:a%252Fb/v1/messages", Body())).Status.ShouldBe(200),
            received => received.ShouldHaveSingleItem().Request.RawTarget.ShouldBe("/v1beta/models/a%2Fb:generateContent"));
        // Dot segments in the URL itself are resolved by Kestrel before routing: what is left is /v1/messages.
        foreach (var path in new[] { "/x/../v1/messages", "/%2E%2E/v1/messages", "/gm:x/./../../v1/messages" })
            await bench.CaseAsync($"dot segments {path}", async () => (await bench.PostAsync(path, Body())).Status.ShouldBe(200),
                received => received.ShouldHaveSingleItem().Upstream.ShouldBe("anthropic"));
        bench.Server.EnsureHealthy();
    }

    [Fact]
    public async Task TransportOddities_AreServedOrRefusedWithTheRightStatus()
    {
        await using var bench = await StartAsync();

        await bench.CaseAsync("HTTP/1.0", async () =>
            {
                var reply = await RawHttp.SendAsync(bench.Server.Port, "POST /v1/messages HTTP/1.0", Encoding.UTF8.GetBytes(Body()), Cancel);
                reply.Status.ShouldBe(200, reply.Body);
                reply.Body.ShouldContain("still serving");
            },
            received => received.ShouldHaveSingleItem().Upstream.ShouldBe("anthropic"));
        await bench.CaseAsync("gzip body", async () =>
            ShouldBeError(await bench.PostAsync("/v1/messages", Body(), "Content-Encoding: gzip"), HttpStatusCode.UnsupportedMediaType)
                .ShouldBe("Content-Encoding 'gzip' is not supported; send the request body uncompressed."));
        var tenMegabytes = Body(User(JsonValue.Create(new string('x', 10 * 1024 * 1024)).ToJsonString()));
        await bench.CaseAsync("10 MB body", async () => (await bench.PostAsync("/v1/messages", tenMegabytes)).Status.ShouldBe(200),
            received => received.ShouldHaveSingleItem().Request.Body.Length.ShouldBe(Encoding.UTF8.GetByteCount(tenMegabytes)));
        await bench.CaseAsync("40 MB body", async () =>
            ShouldBeError(await bench.PostAsync("/v1/messages", Body(User(JsonValue.Create(new string('x', 40 * 1024 * 1024)).ToJsonString()))),
                HttpStatusCode.RequestEntityTooLarge, "request_too_large").ShouldContain("the limit is 32 MB"));
        bench.Server.EnsureHealthy();
    }

    [Fact]
    public async Task UnknownBlocksFieldsAndToolChoices_GoToAnthropicUnchanged()
    {
        await using var bench = await StartAsync();
        var body = Body("""
            [{"role":"user","content":[{"type":"future_block","payload":{"x":[1,null]}},{"type":"text","text":"hi","future_field":true}]},
             {"role":"assistant","content":[{"type":"web_search_tool_result","tool_use_id":"srv_1","content":{"type":"web_search_tool_result_error","error_code":"unavailable"}}]},
             {"role":"user","content":"go on"}]
            """, extra: ""","tool_choice":{"type":"future_choice"},"tools":[{"type":"mcp_toolset","mcp_server_name":"x"}],"future_top_level":{"a":1}""");

        await bench.CaseAsync("unknown shapes pass through", async () => (await bench.PostAsync("/v1/messages", body)).Status.ShouldBe(200),
            received => received.ShouldHaveSingleItem().Request.BodyText.ShouldBe(body));
        bench.Server.EnsureHealthy();
    }

    [Fact]
    public async Task SlowHeaders_AreCutOffWithin10Seconds()
    {
        await using var bench = await StartAsync();

        await bench.CaseAsync("slow headers", async () =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var reply = await RawHttp.StallHeadersAsync(bench.Server.Port, "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n", Cancel);
            // Kestrel answers before any endpoint runs: a bare 408, or just a closed connection.
            reply.Status.ShouldBeOneOf(408, 0);
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20), "the header timeout is 10 s, not Kestrel's 30 s");
        });
        bench.Server.EnsureHealthy();
    }

    [Fact]
    public async Task SlowBody_Is408WithALogLine_NotAnUnexpectedFailure()
    {
        await using var bench = await StartAsync();
        var body = Encoding.UTF8.GetBytes(Body(User(JsonValue.Create(new string('x', 4000)).ToJsonString())));

        await bench.CaseAsync("slow body", async () =>
            ShouldBeError(await RawHttp.TrickleBodyAsync(bench.Server.Port, "POST /v1/messages HTTP/1.1", body, TimeSpan.FromMilliseconds(100), Cancel),
                HttpStatusCode.RequestTimeout).ShouldStartWith("The request body arrived too slowly"));
        await Eventually.WaitAsync(() => bench.Server.Log.Contains("failed: 408 invalid_request_error"), "the 408 in the log", TimeSpan.FromSeconds(10));
        bench.Server.EnsureHealthy();
    }
}
