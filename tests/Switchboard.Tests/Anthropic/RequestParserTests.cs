using System.Text;
using Shouldly;
using Switchboard.Anthropic;

namespace Switchboard.Tests.Anthropic;

/// <summary>A body that does not read as a Messages request is a 400 in Anthropic's words, naming where it broke.</summary>
public sealed class RequestParserTests
{
    private static string Refusal(byte[] body)
    {
        var error = Should.Throw<AnthropicErrorException>(() => RequestParser.Parse(body)).Error;
        (error.Status, error.Type).ShouldBe((400, ErrorTypes.InvalidRequest));
        return error.Message;
    }

    private static string Refusal(string body) => Refusal(Encoding.UTF8.GetBytes(body));

    [Theory]
    [InlineData("""{"model":"m","max_tokens":"5","messages":[]}""", "max_tokens: Input should be a valid integer")]
    [InlineData("""{"model":["m"],"messages":[]}""", "model: Input should be a valid string")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":1}]}]}""", "messages.0.content.0.text: Input should be a valid string")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":[]}]}]}]}""",
        "messages.0.content.0.content.0.text: Input should be a valid string")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image","source":"x"}]}]}""", "messages.0.content.0.source: Input should be a valid dictionary")]
    [InlineData("""{"model":"m","messages":[],"tool_choice":"auto"}""", "tool_choice: Input should be a valid dictionary")]
    [InlineData("""{"model":"m","messages":[],"stream":"yes"}""", "stream: Input should be a valid boolean")]
    [InlineData("""{"model":"m","messages":"hi"}""", "messages: Input should be a valid list")]
    [InlineData("""{"model":"m","messages":[],"temperature":"warm"}""", "temperature: Input should be a valid number")]
    [InlineData("[]", "The request body must be a JSON object (a Messages API request).")]
    [InlineData("null", "The request body must be a JSON object (a Messages API request), not null.")]
    public void Parse_WrongType_NamesTheDottedPath(string body, string expected) => Refusal(body).ShouldBe(expected);

    [Fact]
    public void Parse_BrokenJson_SaysWhereItBroke() =>
        Refusal("""{"model": "m", """).ShouldStartWith("The request body is not valid JSON (line 1, column 16): ");

    [Fact]
    public void Parse_InvalidUtf8_GivesTheOffsetOfTheFirstBadByte() =>
        Refusal([.. "{\"model\":\"m"u8, 0xC3, 0x28, .. "\"}"u8])
            .ShouldBe("The request body is not valid UTF-8 (the first bad byte is at offset 11); send the JSON encoded as UTF-8.");

    [Fact]
    public void Parse_NestingPastTheLimit_IsRefusedWithoutOverflowingTheStack() =>
        Refusal($$"""{"model":"m","messages":[{"role":"user","content":[{"type":"x","deep":{{new string('[', 100_000)}}}]}]}""")
            .ShouldStartWith("The request body nests JSON more than 64 levels deep");

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"cut \ud83d"}]}""", "messages.0.content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"\udc00 low first"}]}]}""", "messages.0.content.1.text")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"a":{"\ud800":1}}}]}]}""", "a key of messages.0.content.0.input.a")]
    [InlineData("""{"model":"m","messages":[],"future":[0,{"x":"\ud83d\ud83d"}]}""", "future.1.x")]
    [InlineData("""{"\udc00":1,"model":"m","messages":[]}""", "a top-level key")]
    public void Parse_UnpairedSurrogateEscape_IsRefusedNamingTheString(string body, string path) =>
        Refusal(body).ShouldStartWith($"The request body is not valid JSON: no low surrogate in string at {path} ");

    [Fact]
    public void Parse_PairedSurrogateEscapes_AreRead()
    {
        var request = RequestParser.Parse("""{"model":"m","messages":[{"role":"user","content":"rocket \ud83d\ude80 \u00e9 \n"}]}"""u8);

        request.Messages!.Single().Content!.Text.ShouldBe("rocket 🚀 é \n");
    }
}
