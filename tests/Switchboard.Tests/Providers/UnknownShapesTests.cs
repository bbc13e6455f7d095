using System.Net;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers;

/// <summary>
/// Claude Code sends block types, fields, tools and <c>tool_choice</c> types before any router knows them. They are
/// not errors: each translated provider drops what it has no word for (or converts it: an unknown tool choice is left
/// to the model, as <c>auto</c>), and the request still goes up.
/// </summary>
public sealed class UnknownShapesTests : IAsyncLifetime
{
    private ScriptedProviders _upstreams = null!;
    private RunningSwitchboard _switchboard = null!;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>What only a future Anthropic (or nobody) understands; none of it may reach a translated upstream.</summary>
    private static readonly string[] Unknown =
        ["future_block", "secret_payload", "future_field", "future_choice", "future_system_block", "mcp_toolset", "web_search_tool_result_error"];

    private const string Body = """
        {"model":"MODEL","max_tokens":100,
         "system":[{"type":"text","text":"Be brief."},{"type":"future_system_block","data":"secret_payload"}],
         "tools":[{"name":"Read","description":"reads a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}},
                  {"type":"mcp_toolset","mcp_server_name":"secret_payload"}],
         "tool_choice":{"type":"future_choice","hint":"secret_payload"},
         "messages":[
           {"role":"user","content":[{"type":"text","text":"hi","future_field":true},{"type":"future_block","payload":{"secret_payload":[1,null]}}]},
           {"role":"assistant","content":[{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":{"type":"web_search_tool_result_error","error_code":"unavailable"}},{"type":"text","text":"searched"}]},
           {"role":"user","content":[{"type":"tool_result","tool_use_id":"orphan","content":[{"type":"future_block","secret_payload":1},{"type":"text","text":"read it"}]},{"type":"text","text":"go on"}]}]}
        """;

    public async ValueTask InitializeAsync()
    {
        // Every target here is translated: the Anthropic upstream answers nothing useful and must not be asked.
        _upstreams = await ScriptedProviders.StartAsync((context, _) => AnthropicWire.WriteJsonAsync(context, "{}", 500));
        _switchboard = await RunningSwitchboard.StartAsync(_upstreams.Config);
    }

    public async ValueTask DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        await _upstreams.DisposeAsync();
    }

    [Theory]
    [InlineData("ol:qwen3:8b")]
    [InlineData("oa:gpt-4o")]
    [InlineData("gm:gemini-2.5-pro")]
    [InlineData("br:amazon.nova-pro-v1:0")]
    public async Task UnknownBlocksFieldsToolsAndToolChoice_AreDroppedOrConverted_AndTheRequestGoesUp(string model)
    {
        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(Body.Replace("MODEL", model)), Cancel);

        var reply = await response.Content.ReadAsStringAsync(Cancel);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, reply);
        reply.ShouldContain("hello from");
        var sent = SentUpstream(model);
        var text = sent.ToJsonString();
        foreach (var unknown in Unknown) text.ShouldNotContain(unknown, Case.Sensitive, $"{model} was sent '{unknown}'");
        foreach (var known in new[] { "Be brief.", "hi", "searched", "read it", "go on", "Read" }) text.ShouldContain(known, Case.Sensitive, model);
        ToolChoiceSent(model, sent).ShouldBeNull($"{model}: an unknown tool_choice is left to the model (auto)");
        _upstreams.Anthropic.Requests.ShouldBeEmpty();
    }

    /// <summary>The one generation request the target's upstream received.</summary>
    private JsonObject SentUpstream(string model) => model.Split(':')[0] switch
    {
        "ol" => _upstreams.Ollama.ChatRequests.ShouldHaveSingleItem(),
        "oa" => _upstreams.OpenAI.ChatRequests.ShouldHaveSingleItem(),
        "gm" => _upstreams.Gemini.GenerateRequests.ShouldHaveSingleItem(),
        _ => _upstreams.Bedrock.Bodies.ShouldHaveSingleItem(),
    };

    /// <summary>Where each wire format says which tool to call; Ollama has no such field at all.</summary>
    private static JsonNode? ToolChoiceSent(string model, JsonObject sent) => model.Split(':')[0] switch
    {
        "oa" => sent["tool_choice"],
        "gm" => sent["toolConfig"],
        "br" => sent["toolConfig"]?["toolChoice"],
        _ => sent["tool_choice"] ?? sent["tools"]?.AsArray().SingleOrDefault(tool => tool?["function"]?["name"]?.GetValue<string>() != "Read"),
    };
}
