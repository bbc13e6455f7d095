using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Gemini;

/// <summary>What Gemini is sent: tools, the tool loop's history and its signatures, images, token counts.</summary>
public sealed class GeminiRequestTests : GeminiTestBase
{
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

        var (modern, legacy) = (Gemini.GenerateRequests.First(), Gemini.GenerateRequests.Last());
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
    public async Task Messages_ToolLoopHistory_ReplaysSignatureAndMapsResultsBackByIdInOrder()
    {
        Gemini.Reply = _ => [ScriptedGemini.Calls("sig-xyz", ("Read", """{"path":"a.txt"}"""), ("Read", """{"path":"b.txt"}""")), ScriptedGemini.Finish()];
        var first = AnthropicWire.Assemble(await StreamAsync(Body("gemini-3-pro-preview", """[{"role":"user","content":"read both"}]""")));
        Gemini.Reply = _ => [ScriptedGemini.Text("Both read."), ScriptedGemini.Finish()];
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

        var contents = Gemini.GenerateRequests.Last()["contents"]!.AsArray();
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

        var gemini3 = Gemini.GenerateRequests.First()["contents"]![1]!["parts"]!.AsArray();
        gemini3[0]!["thoughtSignature"]!.GetValue<string>().ShouldBe("skip_thought_signature_validator");
        gemini3[1]!["thoughtSignature"].ShouldBeNull();
        // Ids that came from elsewhere are Gemini-acceptable and kept, so results match their calls.
        gemini3[0]!["functionCall"]!["id"]!.GetValue<string>().ShouldBe("toolu_01A");
        Gemini.GenerateRequests.First()["contents"]![2]!["parts"]![1]!["functionResponse"]!["id"]!.GetValue<string>().ShouldBe("toolu_01B");
        Gemini.GenerateRequests.Last()["contents"]![1]!["parts"]![0]!["thoughtSignature"].ShouldBeNull();
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

        var contents = Gemini.GenerateRequests.Single()["contents"]!.AsArray();
        contents[0]!["parts"]![0]!["inlineData"]!["mimeType"]!.GetValue<string>().ShouldBe("image/png");
        contents[0]!["parts"]![0]!["inlineData"]!["data"]!.GetValue<string>().ShouldBe(png);
        contents[2]!["parts"]![0]!["functionResponse"]!["name"]!.GetValue<string>().ShouldBe("Screenshot");
        contents[2]!["parts"]![1]!["inlineData"]!["mimeType"]!.GetValue<string>().ShouldBe("image/jpeg");
    }

    [Fact]
    public async Task CountTokens_AsksGeminisCountTokens()
    {
        using var response = await Switchboard.Client.PostAsync("/v1/messages/count_tokens",
            AnthropicWire.Json("""{"model":"gemini-2.5-pro","messages":[{"role":"user","content":"count me"}]}"""), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var counted = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        counted.RootElement.GetProperty("input_tokens").GetInt32().ShouldBe(1234);
        var sent = JsonNode.Parse(Gemini.Requests.Single().Body)!;
        sent["generateContentRequest"]!["model"]!.GetValue<string>().ShouldBe("models/gemini-2.5-pro");
        sent["generateContentRequest"]!["contents"]![0]!["parts"]![0]!["text"]!.GetValue<string>().ShouldBe("count me");
    }
}
