using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers.Bedrock;

/// <summary>What Bedrock's Converse API is sent: the history, and only the fields the model takes.</summary>
public sealed class BedrockRequestTests : BedrockTestBase
{
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

        var messages = Bedrock.Bodies.Single()["messages"]!.AsArray();
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
        Bedrock.Bodies.Single()["toolConfig"]!["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>().ShouldBe("Bash");
    }

    [Fact]
    public async Task Converse_NonClaudeModel_GetsNoClaudeOnlyFields()
    {
        await StreamAsync(Body("""[{"role":"user","content":"q"}]""", """ "top_k":5,"thinking":{"type":"enabled","budget_tokens":1500}, """, model: "meta.llama3-1-70b-instruct-v1:0"));

        Bedrock.Bodies.Single()["additionalModelRequestFields"].ShouldBeNull();
    }
}
