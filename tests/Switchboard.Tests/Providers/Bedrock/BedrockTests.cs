using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;
using static Switchboard.Tests.Infrastructure.ScriptedBedrock;

namespace Switchboard.Tests.Providers.Bedrock;

/// <summary>Anthropic Messages ↔ Bedrock (Converse and InvokeModel), through the real server, against a scripted Bedrock.</summary>
public sealed class BedrockTests : IAsyncLifetime
{
    private const string Haiku = "anthropic.claude-haiku-4-5-20251001-v1:0";
    private ScriptedBedrock _bedrock = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        TestAwsProfile.Install();
        _bedrock = await ScriptedBedrock.StartAsync();
        _switchboard = await RunningSwitchboard.StartAsync(_bedrock.Config());
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _bedrock.DisposeAsync();
    }

    private Task<List<StreamEvent>> StreamAsync(string body, RunningSwitchboard? switchboard = null) =>
        AnthropicWire.PostStreamAsync((switchboard ?? _switchboard).Client, body, Cancel);

    private static string Body(string messages, string extra = "", string model = Haiku) =>
        $$"""{"model":"{{model}}","max_tokens":2000,"stream":true,{{extra}} "messages":{{messages}}}""";

    [Fact]
    public async Task Converse_PlainTurn_IsSigV4SignedForTheRegionAndTranslatedBothWays()
    {
        _bedrock.Converse = _ => [Text("Hello "), Text("from Bedrock."), BlockStop(0), MessageStop("end_turn"), Metadata(812, 9, cacheRead: 100)];
        var body = Body("""
            [{"role":"user","content":"hi"},{"role":"user","content":[{"type":"text","text":"again"}]},
             {"role":"assistant","content":"hey"},{"role":"system","content":"Mid note."},{"role":"user","content":"go"}]
            """, """
            "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.330;"},{"type":"text","text":"Be brief."}],
            "temperature":0.4,"top_p":0.7,"top_k":12,"stop_sequences":["STOP"],"context_management":{"edits":[]},
            """);

        var events = await StreamAsync(body);

        _bedrock.Refusals.ShouldBeEmpty();
        var seen = _bedrock.Requests.Single();
        seen.Path.ShouldBe($"/model/{Haiku}/converse-stream");
        seen.RawTarget.ShouldBe("/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/converse-stream");
        seen.Header("authorization")!.ShouldStartWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/");
        var sent = _bedrock.Bodies.Single();
        sent["system"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()).ShouldBe(["Be brief."]);
        var messages = sent["messages"]!.AsArray();
        messages.Select(m => m!["role"]!.GetValue<string>()).ShouldBe(["user", "assistant", "user"]);
        messages[0]!["content"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()).ShouldBe(["hi", "again"]);
        messages[2]!["content"]!.AsArray().Select(b => b!["text"]!.GetValue<string>()).ShouldBe(["[system] Mid note.", "go"]);
        sent["inferenceConfig"]!["maxTokens"]!.GetValue<int>().ShouldBe(2000);
        sent["inferenceConfig"]!["temperature"]!.GetValue<double>().ShouldBe(0.4);
        sent["inferenceConfig"]!["stopSequences"]![0]!.GetValue<string>().ShouldBe("STOP");
        sent["additionalModelRequestFields"]!["top_k"]!.GetValue<int>().ShouldBe(12);
        sent.ToJsonString().ShouldNotContain("context_management");

        var message = AnthropicWire.Assemble(events);
        message.Content.Single().Text.ShouldBe("Hello from Bedrock.");
        message.StopReason.ShouldBe("end_turn");
        message.Usage!.InputTokens.ShouldBe(812);
        message.Usage.OutputTokens.ShouldBe(9);
        message.Usage.CacheReadInputTokens.ShouldBe(100);
    }

    [Fact]
    public async Task Converse_StreamedToolCall_ArrivesAsToolUseWithItsArgumentsInPieces()
    {
        _bedrock.Converse = _ =>
        [
            Text("Let me look."), BlockStop(0),
            ToolStart(1, "tooluse_abc123", "Read"), ToolInput(1, "{\"path\":"), ToolInput(1, "\"a.txt\"}"), BlockStop(1),
            MessageStop("tool_use"), Metadata(50, 20),
        ];

        var events = await StreamAsync(Body("""[{"role":"user","content":"read a.txt"}]""", """ "tools":[{"name":"Read","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}}],"tool_choice":{"type":"any"}, """));

        events.Count(e => e.Delta?.Type == "input_json_delta").ShouldBe(2);
        var message = AnthropicWire.Assemble(events);
        message.StopReason.ShouldBe("tool_use");
        var call = message.Content.Single(b => b.Type == "tool_use");
        (call.Id, call.Name).ShouldBe(("tooluse_abc123", "Read"));
        call.Input!.Value.GetProperty("path").GetString().ShouldBe("a.txt");
        var tools = _bedrock.Bodies.Single()["toolConfig"]!;
        tools["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>().ShouldBe("Read");
        tools["tools"]![0]!["toolSpec"]!["inputSchema"]!["json"]!["properties"]!["path"].ShouldNotBeNull();
        tools["toolChoice"]!["any"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Converse_History_KeepsTheCallResultGraphImagesAndOnlyVerifiableThinking()
    {
        var history = """
            [{"role":"user","content":[{"type":"text","text":"look"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
             {"role":"assistant","content":[
               {"type":"thinking","thinking":"From Bedrock itself.","signature":"EqQBCkYIBxgCKkBbedrock"},
               {"type":"thinking","thinking":"From Ollama.","signature":"switchboard-synthesized:ollama-local"},
               {"type":"tool_use","id":"toolu_01X","name":"Bash","input":{"command":"ls"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01X","is_error":true,
               "content":[{"type":"text","text":"permission denied"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}}]}]}]
            """;

        await StreamAsync(Body(history));

        var messages = _bedrock.Bodies.Single()["messages"]!.AsArray();
        messages[0]!["content"]![1]!["image"]!["format"]!.GetValue<string>().ShouldBe("png");
        messages[0]!["content"]![1]!["image"]!["source"]!["bytes"]!.GetValue<string>().ShouldBe("iVBORw0KGgo=");
        var assistant = messages[1]!["content"]!.AsArray();
        assistant.Count.ShouldBe(2);
        assistant[0]!["reasoningContent"]!["reasoningText"]!["signature"]!.GetValue<string>().ShouldBe("EqQBCkYIBxgCKkBbedrock");
        assistant[1]!["toolUse"]!["toolUseId"]!.GetValue<string>().ShouldBe("toolu_01X");
        var result = messages[2]!["content"]![0]!["toolResult"]!;
        result["toolUseId"]!.GetValue<string>().ShouldBe("toolu_01X");
        result["status"]!.GetValue<string>().ShouldBe("error");
        result["content"]![0]!["text"]!.GetValue<string>().ShouldBe("permission denied");
        result["content"]![1]!["image"]!["format"]!.GetValue<string>().ShouldBe("jpeg");
        // No tools in this request, but the history has calls: Bedrock needs them declared.
        _bedrock.Bodies.Single()["toolConfig"]!["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>().ShouldBe("Bash");
    }

    [Fact]
    public async Task Converse_Reasoning_BecomesThinkingWithBedrocksSignatureAndBudgetGoesToClaude()
    {
        _bedrock.Converse = _ =>
        [
            Reasoning(0, text: "Thinking it through."), Reasoning(0, signature: "EqQBbedrock-signature"), BlockStop(0),
            Text("Done.", 1), BlockStop(1), MessageStop("end_turn"), Metadata(10, 30),
        ];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("""[{"role":"user","content":"q"}]""", """ "thinking":{"type":"enabled","budget_tokens":1500}, """)));

        message.Content[0].Type.ShouldBe("thinking");
        message.Content[0].Thinking.ShouldBe("Thinking it through.");
        message.Content[0].Signature.ShouldBe("EqQBbedrock-signature");
        message.Content[1].Text.ShouldBe("Done.");
        var thinking = _bedrock.Bodies.Single()["additionalModelRequestFields"]!["thinking"]!;
        thinking["type"]!.GetValue<string>().ShouldBe("enabled");
        thinking["budget_tokens"]!.GetValue<int>().ShouldBe(1500);
    }

    [Fact]
    public async Task Converse_NonClaudeModel_GetsNoClaudeOnlyFields()
    {
        await StreamAsync(Body("""[{"role":"user","content":"q"}]""", """ "top_k":5,"thinking":{"type":"enabled","budget_tokens":1500}, """, model: "meta.llama3-1-70b-instruct-v1:0"));

        _bedrock.Bodies.Single()["additionalModelRequestFields"].ShouldBeNull();
    }

    [Theory]
    [InlineData("max_tokens", "max_tokens", null)]
    [InlineData("stop_sequence", "stop_sequence", null)]
    [InlineData("guardrail_intervened", "refusal", "guardrail_intervened")]
    [InlineData("content_filtered", "refusal", "content_filtered")]
    [InlineData("model_context_window_exceeded", "model_context_window_exceeded", null)]
    [InlineData("malformed_tool_use", "end_turn", "malformed")]
    public async Task Converse_StopReasons_Map(string bedrock, string anthropic, string? note)
    {
        _bedrock.Converse = _ => [Text("Part"), BlockStop(0), MessageStop(bedrock), Metadata(1, 1)];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("""[{"role":"user","content":"q"}]""")));

        message.StopReason.ShouldBe(anthropic);
        if (note is not null) message.Content.Last().Text!.ShouldContain(note);
    }

    [Fact]
    public async Task Converse_NonStreamingClient_GetsTheWholeMessage()
    {
        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku, stream: false)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        message.RootElement.GetProperty("content")[0].GetProperty("text").GetString().ShouldBe("hello from bedrock");
        message.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt32().ShouldBe(7);
    }

    [Theory]
    [InlineData(429, "ThrottlingException", "Too many requests, please wait before trying again.", 429, "rate_limit_error", "Too many requests")]
    [InlineData(400, "ValidationException", "Input is too long for requested model.", 400, "invalid_request_error", "prompt is too long")]
    [InlineData(400, "ValidationException", "messages: text content blocks must be non-empty", 400, "invalid_request_error", "non-empty")]
    [InlineData(403, "AccessDeniedException", "You don't have access to the model with the specified model ID.", 403, "permission_error", "bedrock:InvokeModel")]
    [InlineData(404, "ResourceNotFoundException", "Could not resolve the foundation model.", 404, "not_found_error", "model id")]
    [InlineData(429, "ModelNotReadyException", "Model is not ready for inference.", 529, "overloaded_error", "not ready")]
    [InlineData(503, "ServiceUnavailableException", "Service unavailable.", 529, "overloaded_error", "unavailable")]
    [InlineData(500, "InternalServerException", "Internal failure.", 502, "api_error", "Internal failure")]
    public async Task Converse_BedrockExceptions_BecomeAnthropicErrors(int status, string type, string said, int expected, string anthropicType, string mentions)
    {
        _bedrock.Failure = (status, type, said);

        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync((HttpStatusCode)expected, anthropicType);
        message.ShouldContain(mentions);
        message.ShouldContain(type);
    }

    [Fact]
    public async Task Converse_ExceptionMidStream_EndsWithAnErrorEvent()
    {
        _bedrock.Converse = _ => [Text("Start"), Exception("throttlingException", "Rate exceeded mid-stream")];

        var events = await StreamAsync(Body("""[{"role":"user","content":"q"}]"""));

        events.ShouldContain(e => e.Delta != null && e.Delta.Text == "Start");
        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Type.ShouldBe("rate_limit_error");
        events[^1].Error!.Message!.ShouldContain("Rate exceeded mid-stream");
    }

    [Fact]
    public async Task Converse_CorruptMessage_FailsTheCrcCheckAndEndsWithAnErrorEvent()
    {
        _bedrock.Converse = _ => [Text("Start"), BlockStop(0), MessageStop("end_turn")];
        _bedrock.CorruptLastMessage = true;

        var events = await StreamAsync(Body("""[{"role":"user","content":"q"}]"""));

        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Message!.ShouldContain("broken event stream");
    }

    [Fact]
    public async Task Auth_BedrockApiKey_IsABearerTokenAndNoClientCredentialGoesUp()
    {
        await using var keyed = await RunningSwitchboard.StartAsync(_bedrock.Config(auth: $"\"apiKey\": \"{ApiKey}\""));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(Haiku)) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-SECRET");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-SECRET");

        using var response = await keyed.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = _bedrock.Requests.Single();
        seen.Header("authorization").ShouldBe("Bearer " + ApiKey);
        seen.Header("x-api-key").ShouldBeNull();
        seen.Header("x-amz-date").ShouldBeNull();
        seen.BodyText.ShouldNotContain("SECRET");
    }

    [Fact]
    public async Task Auth_ClientCredentials_NeverReachBedrockWhenSigning()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request(Haiku)) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-SECRET");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-SECRET");

        using var response = await _switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = _bedrock.Requests.Single();
        seen.Header("x-api-key").ShouldBeNull();
        seen.Header("authorization")!.ShouldStartWith("AWS4-HMAC-SHA256");
        _bedrock.Refusals.ShouldBeEmpty();
    }

    [Fact]
    public async Task Auth_EnvironmentCredentials_SignThroughAwsDefaultChain()
    {
        // No profile and no key in config: AWS's own chain finds the keys in the server's environment.
        await using var chained = await PublishedServer.StartBuiltAsync(_bedrock.Config(auth: "\"timeoutSeconds\": 30"),
            TestAwsProfile.ServerEnvironment(("AWS_ACCESS_KEY_ID", AccessKey), ("AWS_SECRET_ACCESS_KEY", SecretKey)));

        using var response = await chained.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
        _bedrock.Refusals.ShouldBeEmpty();
        _bedrock.Requests.Single().Header("authorization")!.ShouldStartWith($"AWS4-HMAC-SHA256 Credential={AccessKey}/");
    }

    [Fact]
    public async Task Auth_WrongSecret_IsRefusedByBedrockAndSaysToCheckTheCredentials()
    {
        await using var wrong = await RunningSwitchboard.StartAsync(_bedrock.Config(auth: "\"profile\": \"wrong-secret\""));

        using var response = await wrong.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error");
        message.ShouldContain("InvalidSignatureException");
        _bedrock.Refusals.Single().ShouldStartWith("signature mismatch");
    }

    [Fact]
    public async Task Auth_UnknownProfileOrNoRegion_IsAClearErrorAndNothingIsSent()
    {
        await using var unknown = await RunningSwitchboard.StartAsync(_bedrock.Config(auth: "\"profile\": \"no-such-profile\""));
        using var noProfile = await unknown.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel);
        (await noProfile.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error")).ShouldContain("'no-such-profile' was not found");

        // (in its own process, whose environment has no AWS_REGION whatever this machine's has)
        await using var regionless = await PublishedServer.StartBuiltAsync(
            _bedrock.Config().Replace($"\"region\": \"{Region}\",", ""), TestAwsProfile.ServerEnvironment());
        using var noRegion = await regionless.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(Haiku)), Cancel);
        (await noRegion.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("no AWS region");
        _bedrock.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task AnthropicMode_SendsTheMessagesBodyThroughInvokeModelAndRelaysClaudesOwnEvents()
    {
        await using var fidelity = await RunningSwitchboard.StartAsync(_bedrock.Config(api: "anthropic"));
        _bedrock.Invoke = _ =>
        [
            """{"type":"message_start","message":{"id":"msg_bdrk_1","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":20,"output_tokens":1}}}""",
            """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Hmm."}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBreal-claude-signature"}}""",
            """{"type":"content_block_stop","index":0}""",
            """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""",
            """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Full fidelity."}}""",
            """{"type":"content_block_stop","index":1}""",
            """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":12}}""",
            """{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":20,"outputTokenCount":12}}""",
        ];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = AnthropicWire.Json(Body("""[{"role":"user","content":"q"}]""", """ "thinking":{"type":"enabled","budget_tokens":1024},"context_management":{"edits":[]},"metadata":{"user_id":"u1"}, """)),
        };
        request.Headers.TryAddWithoutValidation("anthropic-beta", "claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14");

        using var response = await fidelity.Client.SendAsync(request, Cancel);

        var text = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        var events = new List<StreamEvent>();
        await foreach (var e in SseEventReader.ReadAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), Cancel)) events.Add(e);
        var message = AnthropicWire.Assemble(events);
        message.Content[0].Signature.ShouldBe("EqQBreal-claude-signature");
        message.Content[1].Text.ShouldBe("Full fidelity.");

        var seen = _bedrock.Requests.Single();
        seen.Path.ShouldBe($"/model/{Haiku}/invoke-with-response-stream");
        _bedrock.Refusals.ShouldBeEmpty();
        var sent = _bedrock.Bodies.Single();
        sent["anthropic_version"]!.GetValue<string>().ShouldBe("bedrock-2023-05-31");
        sent["anthropic_beta"]!.AsArray().Select(b => b!.GetValue<string>()).ShouldBe(["interleaved-thinking-2025-05-14"]);
        sent["thinking"]!["budget_tokens"]!.GetValue<int>().ShouldBe(1024);
        sent["model"].ShouldBeNull();
        sent["stream"].ShouldBeNull();
        sent["metadata"].ShouldBeNull();
        sent["context_management"].ShouldBeNull();
    }
}
