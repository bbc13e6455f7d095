using System.Text.Json;
using Shouldly;
using Switchboard.Anthropic;

namespace Switchboard.Tests.Anthropic;

public sealed class RequestValidatorTests
{
    [Theory]
    [InlineData("""{"max_tokens":1,"messages":[]}""", "model: Field required")]
    [InlineData("""{"model":"m","max_tokens":1}""", "messages: Field required")]
    [InlineData("""{"model":"m","messages":[]}""", "max_tokens: Field required")]
    [InlineData("""{"model":"m","max_tokens":0,"messages":[]}""", "max_tokens: Input should be greater than or equal to 1")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"content":"x"}]}""", "messages.0.role: Field required")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"robot","content":"x"}]}""", "messages.0.role: Input should be 'user' or 'assistant' (got 'robot')")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user"}]}""", "messages.0.content: Field required")]
    public void Validate_MissingOrWrongField_NamesTheField(string json, string expected)
    {
        var request = JsonSerializer.Deserialize(json, AnthropicJson.Default.MessagesRequest)!;

        var error = RequestValidator.Validate(request, requireMaxTokens: true);

        error.ShouldNotBeNull();
        error.Status.ShouldBe(400);
        error.Type.ShouldBe(ErrorTypes.InvalidRequest);
        error.Message.ShouldBe(expected);
    }

    [Fact]
    public void Validate_CountTokensWithoutMaxTokens_IsAccepted()
    {
        var request = JsonSerializer.Deserialize("""{"model":"m","messages":[{"role":"user","content":"x"}]}""",
            AnthropicJson.Default.MessagesRequest)!;

        RequestValidator.Validate(request, requireMaxTokens: false).ShouldBeNull();
        RequestValidator.Validate(request, requireMaxTokens: true).ShouldNotBeNull();
    }

    /// <summary>What a client gets for <paramref name="json"/>: the parser's complaint, the validator's, or null.</summary>
    private static string? Problem(string json)
    {
        MessagesRequest request;
        try
        {
            request = RequestParser.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        }
        catch (AnthropicErrorException ex)
        {
            ex.Error.Status.ShouldBe(400);
            return ex.Error.Message;
        }
        return RequestValidator.Validate(request, requireMaxTokens: true)?.Message;
    }

    private static string With(string messages = """[{"role":"user","content":"hi"}]""", string extra = "") =>
        $$"""{"model":"m","max_tokens":5{{extra}},"messages":{{messages}}}""";

    private static string User(string content) => $$"""[{"role":"user","content":{{content}}}]""";

    /// <summary>Each would have reached the pipeline as a null (a NullReferenceException, a 500) or a wrong type.</summary>
    [Theory]
    [InlineData("[null]", "messages.0: Input should be a valid dictionary")]
    [InlineData("""[{"role":"user","content":[null]}]""", "messages.0.content.0: Input should be a valid dictionary")]
    [InlineData("""[{"role":"user","content":42}]""", "messages.0.content: Input should be a valid string or a list of content blocks (got a number)")]
    [InlineData("""[{"role":"user","content":[{"text":"x"}]}]""", "messages.0.content.0.type: Field required")]
    [InlineData("""[{"role":"user","content":[{"type":"text"}]}]""", "messages.0.content.0.text.text: Field required")]
    [InlineData("""[{"role":"user","content":[{"type":"image","source":{}}]}]""", "messages.0.content.0.image.source.type: Field required")]
    [InlineData("""[{"role":"assistant","content":[{"type":"tool_use","id":"t","input":{}}]}]""", "messages.0.content.0.tool_use.name: Field required")]
    [InlineData("""[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":"{}"}]}]""", "messages.0.content.0.tool_use.input: Input should be a valid dictionary (got a string)")]
    [InlineData("""[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[null]}]}]""", "messages.0.content.0.content.0: Input should be a valid dictionary")]
    [InlineData("""[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":{"a":1}}]}]""", "messages.0.content.0.content: Input should be a valid string or a list of content blocks (got an object)")]
    [InlineData("""[{"role":"assistant","content":[{"type":"thinking","signature":"s"}]}]""", "messages.0.content.0.thinking.thinking: Field required")]
    [InlineData("""[{"role":"assistant","content":[{"type":"redacted_thinking"}]}]""", "messages.0.content.0.redacted_thinking.data: Field required")]
    [InlineData("""[{"role":"user","content":[{"type":"future","content":[{"type":"text"}]}]}]""", "messages.0.content.0.content.0.text.text: Field required")]
    public void Validate_MalformedContent_NamesTheJsonPath(string messages, string expected) => Problem(With(messages)).ShouldBe(expected);

    [Theory]
    [InlineData(""","system":[null]""", "system.0: Input should be a valid dictionary")]
    [InlineData(""","system":42""", "system: Input should be a valid string or a list of text blocks (got a number)")]
    [InlineData(""","tools":[null]""", "tools.0: Input should be a valid dictionary")]
    [InlineData(""","tools":[{"input_schema":{}}]""", "tools.0.name: Field required")]
    [InlineData(""","tools":[{"name":""}]""", "tools.0.name: String should have at least 1 character")]
    [InlineData(""","tools":[{"name":"n","input_schema":[]}]""", "tools.0.input_schema: Input should be a valid dictionary")]
    [InlineData(""","tools":[{"type":"custom","name":"n"}]""", "tools.0.input_schema: Field required")]
    [InlineData(""","stop_sequences":["a",null]""", "stop_sequences.1: Input should be a valid string")]
    [InlineData(""","stop_sequences":"a" """, "stop_sequences: Input should be a valid list")]
    [InlineData(""","tool_choice":{"name":"n"}""", "tool_choice.type: Field required")]
    [InlineData(""","tool_choice":{"type":"tool"}""", "tool_choice.tool.name: Field required")]
    [InlineData(""","thinking":{"type":"enabled","budget_tokens":-1}""", "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024")]
    [InlineData(""","thinking":{"type":"enabled"}""", "thinking.enabled.budget_tokens: Field required")]
    [InlineData(""","thinking":{}""", "thinking.type: Field required")]
    [InlineData(""","max_tokens":1.5""", "max_tokens: Input should be a valid integer")]
    public void Validate_MalformedTopLevelField_NamesTheJsonPath(string extra, string expected) => Problem(With(extra: extra)).ShouldBe(expected);

    /// <summary>Anthropic adds block types, fields, tools and tool choices before any router knows them; none is an error.</summary>
    [Theory]
    [InlineData("""[{"role":"user","content":[{"type":"future_block","anything":[1,null,{}]}]}]""", "")]
    [InlineData("""[{"role":"user","content":[{"type":"text","text":"x","future_field":{"a":null}}]}]""", "")]
    [InlineData("""[{"role":"assistant","content":[{"type":"web_search_tool_result","tool_use_id":"s","content":{"type":"web_search_tool_result_error"}}]}]""", "")]
    [InlineData("""[{"role":"user","content":"x"}]""", ""","tool_choice":{"type":"future_choice"},"thinking":{"type":"adaptive"}""")]
    [InlineData("""[{"role":"user","content":"x"}]""", ""","tools":[{"type":"web_search_20250305","name":"web_search"},{"type":"mcp_toolset","mcp_server_name":"s"}]""")]
    [InlineData("""[{"role":"system","content":"mid-conversation"},{"role":"user","content":"x"}]""", ""","future_top_level":[null]""")]
    public void Validate_UnknownShapes_AreNotErrors(string messages, string extra) => Problem(With(messages, extra)).ShouldBeNull();

    [Theory]
    [InlineData("claude\\r\\nx-injected: 1", "model: Input should not contain control characters (U+000D at position 6); a model name is one line of text")]
    [InlineData("gm:a\\u0000b", "model: Input should not contain control characters (U+0000 at position 4); a model name is one line of text")]
    [InlineData("gm:a\u0085b", "model: Input should not contain control characters (U+0085 at position 4); a model name is one line of text")]
    [InlineData("  ", "model: Field required")]
    public void Validate_UnsendableModelName_IsRefused(string model, string expected) =>
        Problem($$"""{"model":"{{model}}","max_tokens":5,"messages":[]}""").ShouldBe(expected);

    [Fact]
    public void Validate_ModelNameOverTheLimit_IsRefused()
    {
        RequestValidator.ModelName(new string('m', RequestValidator.MaxModelLength)).ShouldBeNull();
        RequestValidator.ModelName(new string('m', RequestValidator.MaxModelLength + 1)).ShouldBe("String should have at most 512 characters (got 513)");
    }
}
