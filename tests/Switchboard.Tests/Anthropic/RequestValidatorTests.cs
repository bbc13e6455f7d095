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
}
