using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>Anthropic Messages ↔ Gemini generateContent, through the real server, against a scripted Gemini.</summary>
public sealed class GeminiTests : IAsyncLifetime
{
    private ScriptedGemini _gemini = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _gemini = await ScriptedGemini.StartAsync();
        _switchboard = await RunningSwitchboard.StartAsync(_gemini.Config());
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _gemini.DisposeAsync();
    }

    private Task<List<StreamEvent>> StreamAsync(string body) => AnthropicWire.PostStreamAsync(_switchboard.Client, body, Cancel);

    private static string Body(string model, string messages, string extra = "") =>
        $$"""{"model":"{{model}}","max_tokens":1000,"stream":true,{{extra}} "messages":{{messages}}}""";

    [Fact]
    public async Task Messages_PlainStreamingTurn_TranslatesRequestAndReply()
    {
        _gemini.Reply = _ => [ScriptedGemini.Text("Hello "), ScriptedGemini.Text("from Gemini."), ScriptedGemini.Finish(prompt: 800, candidates: 9, cached: 300, thoughts: 4)];
        var body = """
            {"model":"gemini-2.5-pro","max_tokens":900,"stream":true,"temperature":0.3,"top_p":0.9,"top_k":20,
             "stop_sequences":["A","B","C","D","E","F"],
             "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.330;"},{"type":"text","text":"You are terse."}],
             "context_management":{"edits":[]},"output_config":{"effort":"high"},
             "messages":[{"role":"user","content":"hi"},{"role":"user","content":[{"type":"text","text":"still me"}]},
                         {"role":"assistant","content":"hey"},
                         {"role":"system","content":"Mid-conversation note."},
                         {"role":"user","content":"again"}]}
            """;

        var events = await StreamAsync(body);

        var sent = _gemini.GenerateRequests.Single();
        _gemini.Requests.Single().Path.ShouldBe("/v1beta/models/gemini-2.5-pro:streamGenerateContent");
        _gemini.Requests.Single().Query.ShouldBe("?alt=sse");
        sent["systemInstruction"]!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).ShouldBe(["You are terse."]);
        var contents = sent["contents"]!.AsArray();
        contents.Select(c => c!["role"]!.GetValue<string>()).ShouldBe(["user", "model", "user"]);
        contents[0]!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).ShouldBe(["hi", "still me"]);
        contents[2]!["parts"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()).ShouldBe(["[system] Mid-conversation note.", "again"]);
        var generation = sent["generationConfig"]!;
        generation["maxOutputTokens"]!.GetValue<int>().ShouldBe(900);
        generation["temperature"]!.GetValue<double>().ShouldBe(0.3);
        generation["topP"]!.GetValue<double>().ShouldBe(0.9);
        generation["topK"]!.GetValue<int>().ShouldBe(20);
        generation["stopSequences"]!.AsArray().Count.ShouldBe(5);
        sent.ToJsonString().ShouldNotContain("context_management");
        sent.ToJsonString().ShouldNotContain("billing-header");

        var message = AnthropicWire.Assemble(events);
        message.Content.Single().Text.ShouldBe("Hello from Gemini.");
        message.StopReason.ShouldBe("end_turn");
        message.Usage!.InputTokens.ShouldBe(500);
        message.Usage.CacheReadInputTokens.ShouldBe(300);
        message.Usage.OutputTokens.ShouldBe(13);
        events[0].Type.ShouldBe("message_start");
        events[^1].Type.ShouldBe("message_stop");
    }

    [Fact]
    public async Task Messages_NonStreaming_UsesGenerateContentAndReturnsAMessage()
    {
        _gemini.Reply = _ => [ScriptedGemini.Text("Whole answer."), ScriptedGemini.Finish("MAX_TOKENS")];

        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gemini-2.5-flash", stream: false)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        message.RootElement.GetProperty("content")[0].GetProperty("text").GetString().ShouldBe("Whole answer.");
        message.RootElement.GetProperty("stop_reason").GetString().ShouldBe("max_tokens");
        _gemini.Requests.Single().Path.ShouldBe("/v1beta/models/gemini-2.5-flash:generateContent");
    }

    [Fact]
    public async Task Messages_ToolDefinitionsAndChoice_BecomeFunctionDeclarationsAndToolConfig()
    {
        const string tools = """
            "tools":[{"name":"Read","description":"Read a file","input_schema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
                "additionalProperties":false,"properties":{"path":{"type":"string","format":"uri"},"mode":{"const":"text"},
                "limit":{"type":["integer","null"]},"target":{"$ref":"#/$defs/target"}},"required":["path","ghost"],
                "$defs":{"target":{"type":"object","properties":{"line":{"type":"integer"}}}}}},
              {"type":"web_search_20250305","name":"web_search"}],
            "tool_choice":{"type":"tool","name":"Read"},
            """;

        await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"read it"}]""", tools));
        await StreamAsync(Body("gemini-2.0-flash", """[{"role":"user","content":"read it"}]""", tools));

        var (modern, legacy) = (_gemini.GenerateRequests.First(), _gemini.GenerateRequests.Last());
        var declaration = modern["tools"]![0]!["functionDeclarations"]!.AsArray().Single()!;
        declaration["name"]!.GetValue<string>().ShouldBe("Read");
        declaration["parametersJsonSchema"]!["$defs"].ShouldNotBeNull();
        modern["toolConfig"]!["functionCallingConfig"]!["mode"]!.GetValue<string>().ShouldBe("ANY");
        modern["toolConfig"]!["functionCallingConfig"]!["allowedFunctionNames"]!.AsArray().Single()!.GetValue<string>().ShouldBe("Read");

        var cleaned = legacy["tools"]![0]!["functionDeclarations"]![0]!["parameters"]!;
        cleaned.ToJsonString().ShouldNotContain("$schema");
        cleaned.ToJsonString().ShouldNotContain("additionalProperties");
        cleaned.ToJsonString().ShouldNotContain("$ref");
        cleaned["properties"]!["path"]!["format"].ShouldBeNull();
        cleaned["properties"]!["mode"]!["enum"]!.AsArray().Single()!.GetValue<string>().ShouldBe("text");
        cleaned["properties"]!["limit"]!["type"]!.GetValue<string>().ShouldBe("integer");
        cleaned["properties"]!["limit"]!["nullable"]!.GetValue<bool>().ShouldBeTrue();
        cleaned["properties"]!["target"]!["properties"]!["line"]!["type"]!.GetValue<string>().ShouldBe("integer");
        cleaned["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["path"]);
        legacy["generationConfig"]!["thinkingConfig"].ShouldBeNull();
    }

    [Fact]
    public async Task Messages_ParallelCallsOfOneFunction_GetDistinctIdsAndToolUseStop()
    {
        _gemini.Reply = _ => [ScriptedGemini.Calls("sig-parallel", ("Read", """{"path":"a.txt"}"""), ("Read", """{"path":"b.txt"}""")), ScriptedGemini.Finish()];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("gemini-3-pro-preview", """[{"role":"user","content":"read both"}]""")));

        message.StopReason.ShouldBe("tool_use");
        var calls = message.Content.Where(b => b.Type == "tool_use").ToList();
        calls.Select(c => c.Input!.Value.GetProperty("path").GetString()).ShouldBe(["a.txt", "b.txt"]);
        calls.Select(c => c.Id).Distinct().Count().ShouldBe(2);
        calls.ShouldAllBe(c => System.Text.RegularExpressions.Regex.IsMatch(c.Id!, "^[a-zA-Z0-9_-]{1,64}$"));
        // The signature rides on a signed, empty thinking block just before the first call.
        var carrier = message.Content[message.Content.IndexOf(calls[0]) - 1];
        carrier.Type.ShouldBe("thinking");
        carrier.Signature.ShouldEndWith("sig-parallel");
    }

    [Fact]
    public async Task Messages_ToolLoopHistory_ReplaysSignatureAndMapsResultsBackByIdInOrder()
    {
        _gemini.Reply = _ => [ScriptedGemini.Calls("sig-xyz", ("Read", """{"path":"a.txt"}"""), ("Read", """{"path":"b.txt"}""")), ScriptedGemini.Finish()];
        var first = AnthropicWire.Assemble(await StreamAsync(Body("gemini-3-pro-preview", """[{"role":"user","content":"read both"}]""")));
        _gemini.Reply = _ => [ScriptedGemini.Text("Both read."), ScriptedGemini.Finish()];
        var assistant = JsonSerializer.Serialize(first.Content, AnthropicJson.Default.ListContentBlock);
        var ids = first.Content.Where(b => b.Type == "tool_use").Select(b => b.Id).ToList();
        var history = $$"""
            [{"role":"user","content":"read both"},
             {"role":"assistant","content":{{assistant}}},
             {"role":"user","content":[
               {"type":"tool_result","tool_use_id":"{{ids[1]}}","content":[{"type":"text","text":"B body"}]},
               {"type":"tool_result","tool_use_id":"{{ids[0]}}","content":"no such file","is_error":true}]}]
            """;

        await StreamAsync(Body("gemini-3-pro-preview", history));

        var contents = _gemini.GenerateRequests.Last()["contents"]!.AsArray();
        var calls = contents[1]!["parts"]!.AsArray();
        calls.Count.ShouldBe(2);
        calls[0]!["thoughtSignature"]!.GetValue<string>().ShouldBe("sig-xyz");
        calls[1]!["thoughtSignature"].ShouldBeNull();
        calls.ShouldAllBe(p => p!["functionCall"]!["name"]!.GetValue<string>() == "Read" && p["functionCall"]!["id"] == null);
        var results = contents[2]!["parts"]!.AsArray();
        results[0]!["functionResponse"]!["name"]!.GetValue<string>().ShouldBe("Read");
        results[0]!["functionResponse"]!["response"]!["output"]!.GetValue<string>().ShouldBe("B body");
        results[1]!["functionResponse"]!["response"]!["error"]!.GetValue<string>().ShouldBe("no such file");
        JsonSerializer.Serialize(contents).ShouldNotContain("switchboard-synthesized");
    }

    [Fact]
    public async Task Messages_Gemini3HistoryWithoutSignature_SendsTheSkipPlaceholderOnTheFirstCallOnly()
    {
        var history = """
            [{"role":"user","content":"go"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01A","name":"Bash","input":{"command":"ls"}},
                                            {"type":"tool_use","id":"toolu_01B","name":"Bash","input":{"command":"pwd"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"x"},
                                       {"type":"tool_result","tool_use_id":"toolu_01B","content":"/"}]}]
            """;

        await StreamAsync(Body("gemini-3-flash-preview", history));
        await StreamAsync(Body("gemini-2.5-pro", history));

        var gemini3 = _gemini.GenerateRequests.First()["contents"]![1]!["parts"]!.AsArray();
        gemini3[0]!["thoughtSignature"]!.GetValue<string>().ShouldBe("skip_thought_signature_validator");
        gemini3[1]!["thoughtSignature"].ShouldBeNull();
        // Ids that came from elsewhere are Gemini-acceptable and kept, so results match their calls.
        gemini3[0]!["functionCall"]!["id"]!.GetValue<string>().ShouldBe("toolu_01A");
        _gemini.GenerateRequests.First()["contents"]![2]!["parts"]![1]!["functionResponse"]!["id"]!.GetValue<string>().ShouldBe("toolu_01B");
        _gemini.GenerateRequests.Last()["contents"]![1]!["parts"]![0]!["thoughtSignature"].ShouldBeNull();
    }

    [Fact]
    public async Task Messages_ThoughtParts_BecomeSignedThinkingAndThinkingConfigFollowsTheModel()
    {
        _gemini.Reply = _ => [ScriptedGemini.Thought("Let me think."), ScriptedGemini.Text("Answer."), ScriptedGemini.Finish(thoughts: 30)];

        var events = await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]""", "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":4000},"));
        await StreamAsync(Body("gemini-3-pro-preview", """[{"role":"user","content":"q"}]""", "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":32000},"));
        await StreamAsync(Body("gemini-2.5-flash", """[{"role":"user","content":"q"}]""", "\"thinking\":{\"type\":\"disabled\"},"));
        await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]""", "\"thinking\":{\"type\":\"adaptive\"},"));

        var message = AnthropicWire.Assemble(events);
        message.Content[0].Type.ShouldBe("thinking");
        message.Content[0].Thinking.ShouldBe("Let me think.");
        SynthesizedSignature.IsSynthesized(message.Content[0].Signature).ShouldBeTrue();
        message.Content[1].Text.ShouldBe("Answer.");
        events.ShouldContain(e => e.Delta != null && e.Delta.Type == "signature_delta");

        var configs = _gemini.GenerateRequests.Select(r => r["generationConfig"]!["thinkingConfig"]).ToList();
        configs[0]!["thinkingBudget"]!.GetValue<int>().ShouldBe(4000);
        configs[0]!["includeThoughts"]!.GetValue<bool>().ShouldBeTrue();
        configs[1]!["thinkingLevel"]!.GetValue<string>().ShouldBe("high");
        configs[1]!["thinkingBudget"].ShouldBeNull();
        configs[2]!["thinkingBudget"]!.GetValue<int>().ShouldBe(0);
        configs[3]!["includeThoughts"]!.GetValue<bool>().ShouldBeTrue();
        configs[3]!["thinkingBudget"].ShouldBeNull();
    }

    [Fact]
    public async Task Messages_ImagesAndToolResultImages_GoInline()
    {
        const string png = "iVBORw0KGgo=";
        var history = $$$"""
            [{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{png}}}"}},{"type":"text","text":"what is it?"}]},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_shot","name":"Screenshot","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_shot","content":[{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}}]}]}]
            """;

        await StreamAsync(Body("gemini-2.5-pro", history));

        var contents = _gemini.GenerateRequests.Single()["contents"]!.AsArray();
        contents[0]!["parts"]![0]!["inlineData"]!["mimeType"]!.GetValue<string>().ShouldBe("image/png");
        contents[0]!["parts"]![0]!["inlineData"]!["data"]!.GetValue<string>().ShouldBe(png);
        contents[2]!["parts"]![0]!["functionResponse"]!["name"]!.GetValue<string>().ShouldBe("Screenshot");
        contents[2]!["parts"]![1]!["inlineData"]!["mimeType"]!.GetValue<string>().ShouldBe("image/jpeg");
    }

    [Theory]
    [InlineData("SAFETY", "refusal", "stopped the answer: SAFETY")]
    [InlineData("RECITATION", "refusal", "stopped the answer: RECITATION")]
    [InlineData("MAX_TOKENS", "max_tokens", null)]
    public async Task Messages_FinishReasons_MapToStopReasons(string finish, string stop, string? note)
    {
        _gemini.Reply = _ => [ScriptedGemini.Text("Partial"), ScriptedGemini.Finish(finish)];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]""")));

        message.StopReason.ShouldBe(stop);
        if (note is not null) message.Content.Last().Text!.ShouldContain(note);
    }

    [Fact]
    public async Task Messages_BlockedPrompt_IsARefusalThatSaysWhy()
    {
        _gemini.Reply = _ => ["""{"promptFeedback":{"blockReason":"PROHIBITED_CONTENT"},"usageMetadata":{"promptTokenCount":12,"totalTokenCount":12}}"""];

        var message = AnthropicWire.Assemble(await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]""")));

        message.StopReason.ShouldBe("refusal");
        message.Content.Single().Text.ShouldBe("Gemini (gemini) refused the prompt: blocked for PROHIBITED_CONTENT.");
    }

    [Theory]
    [InlineData(400, """{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}""", 401, "authentication_error", "GEMINI_API_KEY")]
    [InlineData(400, """{"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}""", 400, "invalid_request_error", "prompt is too long")]
    [InlineData(429, """{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}""", 429, "rate_limit_error", "exhausted")]
    [InlineData(404, """{"error":{"code":404,"message":"models/gemini-9 is not found for API version v1beta","status":"NOT_FOUND"}}""", 404, "not_found_error", "gemini-9")]
    [InlineData(503, """{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}""", 529, "overloaded_error", "overloaded")]
    [InlineData(500, """{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}""", 502, "api_error", "Internal error")]
    public async Task Messages_GeminiErrors_BecomeAnthropicErrors(int status, string body, int expected, string type, string says)
    {
        _gemini.Failure = (status, body);

        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gemini-9")), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync((HttpStatusCode)expected, type);
        message.ShouldContain(says);
    }

    [Fact]
    public async Task Messages_ErrorMidStream_EndsWithAnErrorEvent()
    {
        _gemini.Reply = _ => [ScriptedGemini.Text("Start"), """{"error":{"code":500,"message":"Backend died","status":"INTERNAL"}}"""];

        var events = await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]"""));

        events.ShouldContain(e => e.Type == "content_block_delta" && e.Delta!.Text == "Start");
        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Message!.ShouldContain("Backend died");
    }

    [Fact]
    public async Task Messages_StreamEndingWithoutFinish_EndsWithAnErrorEvent()
    {
        _gemini.Reply = _ => [ScriptedGemini.Text("Half an ans")];

        var events = await StreamAsync(Body("gemini-2.5-pro", """[{"role":"user","content":"q"}]"""));

        events[^1].Type.ShouldBe("error");
        events[^1].Error!.Message!.ShouldContain("ended the reply before it was done");
    }

    [Fact]
    public async Task Messages_OnlyTheProvidersKeyReachesGemini()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("gemini-2.5-pro")) };
        request.Headers.TryAddWithoutValidation("x-api-key", "sk-ant-api03-SECRET");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer sk-ant-oat01-SECRET");

        using var response = await _switchboard.Client.SendAsync(request, Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = _gemini.Requests.Single();
        seen.Header("x-goog-api-key").ShouldBe(ScriptedGemini.Key);
        seen.Header("x-api-key").ShouldBeNull();
        seen.Header("authorization").ShouldBeNull();
        seen.BodyText.ShouldNotContain("SECRET");
    }

    [Fact]
    public async Task Messages_NoKeyConfigured_SaysHowToSetOne()
    {
        await using var keyless = await RunningSwitchboard.StartAsync(_gemini.Config(apiKey: "$SWITCHBOARD_TEST_UNSET_GEMINI_KEY"));

        using var response = await keyless.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gemini-2.5-pro")), Cancel);

        var message = await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.Unauthorized, "authentication_error");
        message.ShouldContain("GEMINI_API_KEY");
        _gemini.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task CountTokens_AsksGeminisCountTokens()
    {
        using var response = await _switchboard.Client.PostAsync("/v1/messages/count_tokens",
            AnthropicWire.Json("""{"model":"gemini-2.5-pro","messages":[{"role":"user","content":"count me"}]}"""), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var counted = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        counted.RootElement.GetProperty("input_tokens").GetInt32().ShouldBe(1234);
        var sent = JsonNode.Parse(_gemini.Requests.Single().Body)!;
        sent["generateContentRequest"]!["model"]!.GetValue<string>().ShouldBe("models/gemini-2.5-pro");
        sent["generateContentRequest"]!["contents"]![0]!["parts"]![0]!["text"]!.GetValue<string>().ShouldBe("count me");
    }

    [Fact]
    public async Task Models_ListsGeminiModelsThatCanGenerate()
    {
        using var models = JsonDocument.Parse(await _switchboard.Client.GetStringAsync("/v1/models?limit=1000", Cancel));

        var data = models.RootElement.GetProperty("data").EnumerateArray().ToList();
        data.Select(m => m.GetProperty("id").GetString()).ShouldBe(["claude-via-gemini:gemini-2.5-pro"]);
        data[0].GetProperty("display_name").GetString().ShouldBe("Gemini 2.5 Pro");
    }
}
