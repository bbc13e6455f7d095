using System.Text.Json.Nodes;
using Shouldly;
using static Switchboard.Tests.Infrastructure.ScriptedOpenAI;

namespace Switchboard.Tests.Providers.OpenAI;

/// <summary>Anthropic Messages requests → chat-completions requests, as the server receives them.</summary>
public sealed class OpenAIRequestTests : OpenAITestBase
{
    private async Task<JsonObject> SendAsync(string body)
    {
        await StreamAsync(body);
        return SentChat;
    }

    private static List<(string Role, string? Content)> Roles(JsonObject chat) =>
        chat["messages"]!.AsArray().Select(m => (m!["role"]!.GetValue<string>(), m["content"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? m["content"]!.GetValue<string>() : m["content"]?.ToJsonString())).ToList();

    [Fact]
    public async Task Messages_SystemBlocksAndSettings_AreTranslatedAndAnthropicOnlyFieldsDropped()
    {
        var body = """
            {"model":"scripted-model","max_tokens":900,"stream":true,"temperature":0.2,"top_p":0.8,"top_k":30,"stop_sequences":["END"],
             "metadata":{"user_id":"{\"device_id\":\"abc123\",\"session_id\":\"s-1\"}"},
             "context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},"output_config":{"effort":"medium"},
             "thinking":{"type":"adaptive"},
             "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1.330; cc_entrypoint=sdk-cli;"},
                       {"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Be kind."}],
             "messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]},{"role":"assistant","content":"hey"},
                         {"role":"system","content":[{"type":"text","text":"Mid-conversation note."}]},
                         {"role":"user","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]}]}
            """;

        var chat = await SendAsync(body);

        chat["model"]!.GetValue<string>().ShouldBe("scripted-model");
        Roles(chat).ShouldBe([("system", "You are terse.\n\nBe kind."), ("user", "hi"), ("assistant", "hey"), ("system", "Mid-conversation note."), ("user", "one\n\ntwo")]);
        chat["max_tokens"]!.GetValue<int>().ShouldBe(900);
        chat["temperature"]!.GetValue<double>().ShouldBe(0.2);
        chat["top_p"]!.GetValue<double>().ShouldBe(0.8);
        chat["stop"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["END"]);
        // A stable pseudonym, never Claude Code's device id
        chat["user"]!.GetValue<string>().ShouldStartWith("sb-");
        var text = chat.ToJsonString();
        text.ShouldNotContain("abc123");
        foreach (var dropped in (string[])["top_k", "context_management", "output_config", "cache_control", "x-anthropic-billing-header", "thinking", "reasoning_effort", "metadata"])
            text.ShouldNotContain(dropped);
    }

    [Fact]
    public async Task Messages_Images_BecomeImageUrlParts()
    {
        var body = Request(messages: """
            [{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}},
                                       {"type":"image","source":{"type":"url","url":"https://example.com/cat.png"}},
                                       {"type":"text","text":"what are these?"}]}]
            """);

        var parts = (await SendAsync(body))["messages"]![0]!["content"]!.AsArray();

        parts.Select(p => p!["type"]!.GetValue<string>()).ShouldBe(["image_url", "image_url", "text"]);
        parts[0]!["image_url"]!["url"]!.GetValue<string>().ShouldBe("data:image/jpeg;base64,/9j/4AAQ");
        parts[1]!["image_url"]!["url"]!.GetValue<string>().ShouldBe("https://example.com/cat.png");
        parts[2]!["text"]!.GetValue<string>().ShouldBe("what are these?");
    }

    [Fact]
    public async Task Messages_ToolHistory_BecomesToolCallsFollowedByTheirToolMessages()
    {
        var body = Request(messages: """
            [{"role":"user","content":"check two files"},
             {"role":"assistant","content":[{"type":"thinking","thinking":"plan","signature":"sig"},{"type":"text","text":"Reading both."},
                {"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"/a"}},
                {"type":"tool_use","id":"toolu_2","name":"Read","input":{"file_path":"/b"}}]},
             {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"toolu_2","content":"B text"},
                {"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":[{"type":"text","text":"no such file"}]},
                {"type":"text","text":"go on"}]}]
            """);

        var chat = await SendAsync(body);

        var messages = chat["messages"]!.AsArray();
        messages.Select(m => m!["role"]!.GetValue<string>()).ShouldBe(["user", "assistant", "tool", "tool", "user"]);
        var assistant = messages[1]!;
        assistant["content"]!.GetValue<string>().ShouldBe("Reading both.");
        assistant.AsObject().ContainsKey("reasoning_content").ShouldBeFalse(); // only for servers that want it
        var calls = assistant["tool_calls"]!.AsArray();
        calls.Select(c => c!["id"]!.GetValue<string>()).ShouldBe(["toolu_1", "toolu_2"]);
        calls[0]!["type"]!.GetValue<string>().ShouldBe("function");
        calls[0]!["function"]!["name"]!.GetValue<string>().ShouldBe("Read");
        // arguments travel as a JSON string, not an object
        JsonNode.Parse(calls[0]!["function"]!["arguments"]!.GetValue<string>())!["file_path"]!.GetValue<string>().ShouldBe("/a");
        (messages[2]!["tool_call_id"]!.GetValue<string>(), messages[2]!["content"]!.GetValue<string>()).ShouldBe(("toolu_2", "B text"));
        (messages[3]!["tool_call_id"]!.GetValue<string>(), messages[3]!["content"]!.GetValue<string>()).ShouldBe(("toolu_1", "[tool error] no such file"));
        messages[4]!["content"]!.GetValue<string>().ShouldBe("go on");
    }

    [Fact]
    public async Task Messages_AssistantTurnWithOnlyToolCalls_HasNullContent()
    {
        var body = Request(messages: """
            [{"role":"user","content":"x"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"ok"}]}]
            """);

        var assistant = (await SendAsync(body))["messages"]![1]!.AsObject();

        assistant.ContainsKey("content").ShouldBeTrue();
        assistant["content"].ShouldBeNull();
        assistant["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>().ShouldBe("{}");
    }

    [Fact]
    public async Task Messages_ImageInsideAToolResult_FollowsTheToolMessagesInAUserMessage()
    {
        var body = Request(messages: """
            [{"role":"user","content":"screenshot please"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_s","name":"Screenshot","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_s","content":[
                {"type":"text","text":"captured"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}]
            """);

        var messages = (await SendAsync(body))["messages"]!.AsArray();

        messages.Select(m => m!["role"]!.GetValue<string>()).ShouldBe(["user", "assistant", "tool", "user"]);
        messages[2]!["content"]!.GetValue<string>().ShouldBe("captured");
        var parts = messages[3]!["content"]!.AsArray();
        parts[0]!["text"]!.GetValue<string>().ShouldContain("Screenshot");
        parts[1]!["image_url"]!["url"]!.GetValue<string>().ShouldBe("data:image/png;base64,iVBORw0KGgo=");
    }

    [Fact]
    public async Task Messages_InterruptedCallAndOrphanResult_StillMakeAValidConversation()
    {
        // Given a call that never got its result, and a result whose call is not in the conversation
        var body = Request(messages: """
            [{"role":"user","content":"start"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_lost","name":"Bash","input":{"command":"sleep 100"}}]},
             {"role":"user","content":[{"type":"text","text":"[Request interrupted by user]"}]},
             {"role":"assistant","content":"Stopped."},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_gone","content":"late output"},{"type":"text","text":"and now?"}]}]
            """);

        var messages = (await SendAsync(body))["messages"]!.AsArray();

        messages.Select(m => m!["role"]!.GetValue<string>()).ShouldBe(["user", "assistant", "tool", "user", "assistant", "user"]);
        messages[2]!["tool_call_id"]!.GetValue<string>().ShouldBe("toolu_lost");
        messages[2]!["content"]!.GetValue<string>().ShouldContain("interrupted");
        messages[5]!["content"]!.GetValue<string>().ShouldBe("[result of an earlier tool call toolu_gone]\nlate output\n\nand now?");
    }

    [Fact]
    public async Task Messages_Tools_BecomeFunctionsWithoutSchemaKeywordsServersRefuse()
    {
        var body = Request(extra: """
            ,"tools":[{"name":"Config","description":"set things","input_schema":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
                 "properties":{"$schema":{"type":"string"},"format":{"type":"string","format":"uri"},"nested":{"type":"object","$schema":"x","properties":{}}},
                 "required":["format"],"additionalProperties":false}},
               {"type":"web_search_20250305","name":"web_search","max_uses":5}]
            """);

        var chat = await SendAsync(body);

        var function = chat["tools"]!.AsArray().ShouldHaveSingleItem()!; // the server tool only Anthropic can run is gone
        function["type"]!.GetValue<string>().ShouldBe("function");
        function["function"]!["name"]!.GetValue<string>().ShouldBe("Config");
        function["function"]!["description"]!.GetValue<string>().ShouldBe("set things");
        var parameters = function["function"]!["parameters"]!.AsObject();
        parameters.ContainsKey("$schema").ShouldBeFalse();
        parameters["properties"]!["nested"]!.AsObject().ContainsKey("$schema").ShouldBeFalse();
        // parameters that merely share a keyword's name stay
        parameters["properties"]!.AsObject().ContainsKey("$schema").ShouldBeTrue();
        parameters["properties"]!["format"]!["format"]!.GetValue<string>().ShouldBe("uri");
        parameters["additionalProperties"]!.GetValue<bool>().ShouldBeFalse();
        chat.ContainsKey("tool_choice").ShouldBeFalse(); // auto is the default, left unsaid
    }

    [Theory]
    [InlineData("""{"type":"any"}""", "\"required\"", null)]
    [InlineData("""{"type":"none"}""", "\"none\"", null)]
    [InlineData("""{"type":"tool","name":"Bash"}""", """{"type":"function","function":{"name":"Bash"}}""", null)]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":true}""", null, false)]
    public async Task Messages_ToolChoice_MapsToOpenAIs(string choice, string? expected, bool? parallel)
    {
        var body = Request(extra: $$$""","tools":[{"name":"Bash","input_schema":{"type":"object"}}],"tool_choice":{{{choice}}}""");

        var chat = await SendAsync(body);

        (chat["tool_choice"]?.ToJsonString()).ShouldBe(expected);
        (chat["parallel_tool_calls"]?.GetValue<bool>()).ShouldBe(parallel);
        chat["tools"]!.AsArray().Count.ShouldBe(1); // tools stay even with "none", so history that used them is valid
    }

    [Fact]
    public async Task Messages_ToolNameOver64Characters_IsShortenedAndRestoredInTheReply()
    {
        var longName = "mcp__claude_ai_Company_Knowledge_Base__search_documents_by_semantic_similarity";
        var tools = ",\"tools\":[{\"name\":\"" + longName + "\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}}]," +
                    "\"tool_choice\":{\"type\":\"tool\",\"name\":\"" + longName + "\"}";
        var history = $$$"""
            [{"role":"user","content":"search"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"{{{longName}}}","input":{"q":"a"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"nothing"}]}]
            """;
        string? sent = null;
        OpenAI.Chat = chat =>
        {
            sent = chat["tools"]![0]!["function"]!["name"]!.GetValue<string>();
            return [ToolCallStart(0, "call_1", sent, "{\"q\":\"b\"}"), Finish("tool_calls"), DoneLine];
        };

        var events = await StreamAsync(Request(extra: tools, messages: history));

        sent.ShouldNotBeNull();
        sent.Length.ShouldBeLessThanOrEqualTo(64);
        sent.ShouldMatch("^[a-zA-Z0-9_-]+$");
        var chat = SentChat;
        chat["messages"]![1]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>().ShouldBe(sent);
        chat["tool_choice"]!["function"]!["name"]!.GetValue<string>().ShouldBe(sent);
        Assemble(events).Content.ShouldHaveSingleItem().Name.ShouldBe(longName);
    }

    [Fact]
    public async Task Messages_GenericServer_GetsMaxTokensAndNoReasoningControl()
    {
        var chat = await SendAsync(Request(extra: ""","thinking":{"type":"enabled","budget_tokens":2048}"""));

        chat["max_tokens"]!.GetValue<int>().ShouldBe(1000);
        chat.ContainsKey("max_completion_tokens").ShouldBeFalse();
        chat.ContainsKey("reasoning_effort").ShouldBeFalse();
        chat.ContainsKey("reasoning").ShouldBeFalse();
        chat.ContainsKey("chat_template_kwargs").ShouldBeFalse();
    }
}
