using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Sanitizing;

/// <summary>Images in the history, nested ones included, reach a model that cannot see as markers, through the real server.</summary>
public sealed class TextOnlyModelTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A user image, and an image the Read tool returned inside a tool result.</summary>
    private static string Body(string model) => $$$"""
        {"model":"{{{model}}}","max_tokens":100,"stream":true,"messages":[
          {"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},{"type":"text","text":"and this file?"}]},
          {"role":"assistant","content":[{"type":"tool_use","id":"call_read","name":"Read","input":{"file_path":"b.png"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"call_read","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"R0lGODlh"}}]}]}]}
        """;

    [Fact]
    public async Task OllamaModelWithoutVision_GetsMarkersWhereTheImagesWere()
    {
        // Given an Ollama whose llama3.2:3b has no vision in /api/show
        await using var ollama = await ScriptedOllama.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(ollama.Config());

        await AnthropicWire.PostStreamAsync(switchboard.Client, Body("llama3.2:3b"), Cancel);

        var chat = ollama.ChatRequests.ShouldHaveSingleItem();
        var json = chat.ToJsonString();
        json.ShouldNotContain("iVBORw0KGgo=");
        json.ShouldNotContain("R0lGODlh");
        chat["messages"]!.AsArray().ShouldAllBe(m => m!["images"] == null);
        chat["messages"]![0]!["content"]!.GetValue<string>().ShouldBe("[image omitted]\n\nand this file?");
        chat["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "tool")!["content"]!.GetValue<string>().ShouldBe("[image omitted]");
        switchboard.Logs.All.ShouldContain("ollama-local: stripped 2 images for llama3.2:3b");
    }

    [Fact]
    public async Task OllamaModelWithVision_GetsTheImages()
    {
        await using var ollama = await ScriptedOllama.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(ollama.Config());

        await AnthropicWire.PostStreamAsync(switchboard.Client, Body("llava:7b"), Cancel);

        var images = ollama.ChatRequests.ShouldHaveSingleItem()["messages"]!.AsArray()
            .SelectMany(m => m!["images"] as JsonArray ?? []).Select(i => i!.GetValue<string>());
        images.ShouldBe(["iVBORw0KGgo=", "R0lGODlh"], ignoreOrder: true);
        switchboard.Logs.All.ShouldNotContain("stripped");
    }

    [Fact]
    public async Task ProviderConfiguredWithoutVision_GetsMarkers()
    {
        await using var openai = await ScriptedOpenAI.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(openai.Config(""", "vision": false"""));

        await AnthropicWire.PostStreamAsync(switchboard.Client, Body("deepseek-chat"), Cancel);

        var json = openai.ChatRequests.ShouldHaveSingleItem().ToJsonString();
        json.ShouldNotContain("image_url");
        json.ShouldContain("[image omitted]");
    }

    [Fact]
    public async Task TextOnlyModelOfAVisionProvider_ConfiguredPerModel_GetsMarkers_WhileItsOtherModelsGetTheImages()
    {
        await using var openai = await ScriptedOpenAI.StartAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(openai.Config("""
            , "vision": true, "perModel": { "deepseek*": { "vision": false }, "deepseek-vl2": { "vision": true } }
            """));

        await AnthropicWire.PostStreamAsync(switchboard.Client, Body("deepseek-chat"), Cancel);
        await AnthropicWire.PostStreamAsync(switchboard.Client, Body("deepseek-vl2"), Cancel);
        await AnthropicWire.PostStreamAsync(switchboard.Client, Body("gpt-4o"), Cancel);

        var sent = openai.ChatRequests.Select(chat => chat.ToJsonString()).ToList();
        sent[0].ShouldNotContain("image_url");
        sent[0].ShouldContain("[image omitted]");
        sent[1].ShouldContain("image_url");
        sent[2].ShouldContain("image_url");
    }
}
