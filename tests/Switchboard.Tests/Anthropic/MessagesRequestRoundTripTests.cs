using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Anthropic;

namespace Switchboard.Tests.Anthropic;

public sealed class MessagesRequestRoundTripTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    private static void ShouldRoundTrip(string json)
    {
        var request = JsonSerializer.Deserialize(json, AnthropicJson.Default.MessagesRequest)!;
        var written = JsonSerializer.Serialize(request, AnthropicJson.Relaxed.MessagesRequest);
        var same = JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(written));
        same.ShouldBeTrue($"round trip changed the request ({json.Length} chars in, {written.Length} out)");
    }

    [Fact]
    public void RecordedClaudeCodeRequest_RoundTrip_LosesNothing()
    {
        // Given a main-turn request exactly as Claude Code 2.1.330 sent it
        var json = Fixture("claude-code-2.1.330-main-turn.json");

        // When it is read and written again, Then it is the same JSON
        ShouldRoundTrip(json);
    }

    [Fact]
    public void RecordedClaudeCodeRequest_Parsed_ExposesItsParts()
    {
        var request = JsonSerializer.Deserialize(Fixture("claude-code-2.1.330-main-turn.json"), AnthropicJson.Default.MessagesRequest)!;

        request.Model.ShouldBe("claude-opus-5-5");
        request.IsStreaming.ShouldBeTrue();
        request.Thinking!.Type.ShouldBe("adaptive");
        request.OutputConfig!.Effort.ShouldBe("medium");
        request.ContextManagement!.Edits.ShouldNotBeNull();
        request.System!.Blocks!.Count.ShouldBeGreaterThan(1);
        request.Messages!.ShouldContain(message => message.Role == "system");
        request.Tools!.ShouldContain(tool => tool.Name == "Bash");
        request.Metadata!.UserId.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void EveryBlockTypeAndField_RoundTrip_LosesNothing()
    {
        // Given a request that uses every documented field, every block type, and fields nobody has documented yet
        var json = """
            {
              "model": "claude-sonnet-4-5",
              "max_tokens": 1024,
              "system": "You are terse.",
              "messages": [
                {"role": "user", "content": "plain string content"},
                {"role": "user", "content": [
                  {"type": "text", "text": "look", "cache_control": {"type": "ephemeral", "ttl": "1h"}},
                  {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                  {"type": "image", "source": {"type": "url", "url": "https://example.invalid/cat.png"}},
                  {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "doc"}, "title": "T", "citations": {"enabled": true}}
                ]},
                {"role": "assistant", "content": [
                  {"type": "thinking", "thinking": "hmm", "signature": "EqQBCkYIBxgCKkA"},
                  {"type": "redacted_thinking", "data": "EmwKAhgBEgy"},
                  {"type": "text", "text": "calling", "citations": [{"type": "char_location", "cited_text": "x", "document_index": 0, "start_char_index": 0, "end_char_index": 1}]},
                  {"type": "tool_use", "id": "toolu_01", "name": "Bash", "input": {"command": "ls", "nested": {"a": [1, 2.5, null, true]}}},
                  {"type": "server_tool_use", "id": "srvtoolu_01", "name": "web_search", "input": {"query": "q"}},
                  {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01", "content": {"type": "web_search_tool_result_error", "error_code": "max_uses_exceeded"}}
                ]},
                {"role": "user", "content": [
                  {"type": "tool_result", "tool_use_id": "toolu_01", "is_error": true, "content": [
                    {"type": "text", "text": "failed"},
                    {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/"}}
                  ]},
                  {"type": "tool_result", "tool_use_id": "toolu_02", "content": "string result"},
                  {"type": "future_block", "shiny": {"new": 1}}
                ]},
                {"role": "system", "content": [{"type": "text", "text": "mid-conversation system turn"}]}
              ],
              "tools": [
                {"name": "Bash", "description": "run", "input_schema": {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]}, "strict": true, "defer_loading": false},
                {"type": "web_search_20250305", "name": "web_search", "max_uses": 5}
              ],
              "tool_choice": {"type": "tool", "name": "Bash", "disable_parallel_tool_use": true},
              "thinking": {"type": "enabled", "budget_tokens": 2048},
              "output_config": {"effort": "high", "format": {"type": "json_schema", "schema": {"type": "object"}}},
              "context_management": {"edits": [{"type": "clear_tool_uses_20250919"}]},
              "metadata": {"user_id": "u-1"},
              "stop_sequences": ["STOP"],
              "temperature": 0.7,
              "top_p": 0.9,
              "top_k": 40,
              "stream": false,
              "service_tier": "auto",
              "some_future_field": {"deep": ["x"]}
            }
            """;

        // Then writing it again gives the same JSON
        ShouldRoundTrip(json);

        // And the typed view reads each part
        var request = JsonSerializer.Deserialize(json, AnthropicJson.Default.MessagesRequest)!;
        request.System!.Text.ShouldBe("You are terse.");
        request.Messages![0].Content!.Text.ShouldBe("plain string content");
        var assistant = request.Messages[2].Content!.Blocks!;
        assistant[0].Signature.ShouldBe("EqQBCkYIBxgCKkA");
        assistant[1].Data.ShouldBe("EmwKAhgBEgy");
        assistant[3].Input!.Value.GetProperty("command").GetString().ShouldBe("ls");
        assistant[5].Content!.Raw!.Value.GetProperty("error_code").GetString().ShouldBe("max_uses_exceeded");
        var result = request.Messages[3].Content!.Blocks![0];
        result.IsError.ShouldBe(true);
        result.Content!.Blocks![1].Source!.MediaType.ShouldBe("image/jpeg");
        request.Messages[4].Role.ShouldBe("system");
        request.ToolChoice!.DisableParallelToolUse.ShouldBe(true);
        request.Thinking!.BudgetTokens.ShouldBe(2048);
        request.Extra!.ShouldContainKey("some_future_field");
    }
}
