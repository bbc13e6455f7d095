using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Switchboard.Anthropic;
using Switchboard.Tests.EndToEnd;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Forwarding;

/// <summary>Forwarding through the real server: retries, fallback to the next target, never after a reply began, cool-downs.</summary>
public sealed class FallbackTests : AnthropicAndOllamaTests
{
    [Theory]
    [InlineData(503, "overloaded")]
    [InlineData(529, "overloaded")]
    [InlineData(500, "boom")]
    [InlineData(429, "slow down")]
    public async Task Fallback_RetryableFailure_IsRetriedThenTheNextTargetAnswers(int status, string message)
    {
        await using var failing = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            if (status == 429) context.Response.Headers.RetryAfter = "0";
            await AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error(AnthropicError.TypeForStatus(status), message), status);
        });
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "routes": { "default": ["flaky:claude-sonnet-4-5", "ollama-local:qwen3:8b"] }
            """, $", \"flaky\": {{ \"type\": \"anthropic\", \"baseUrl\": \"{failing.BaseUrl}\" }}"));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gpt-anything", stream: true)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AnthropicWire.TextOfAsync(await response.Content.ReadAsStringAsync(Cancel), Cancel)).ShouldBe("from ollama qwen3:8b");
        failing.Requests.Count.ShouldBe(3); // the first try and two retries
        switchboard.Logs.All.ShouldContain("fallbacks=flaky:claude-sonnet-4-5");
        // And the ledger records the route: duty, rule, the target that answered and the fallback taken
        var record = (await switchboard.RecordsAsync(1)).ShouldHaveSingleItem();
        (record.Duty, record.Rule, record.Provider, record.Model, record.RequestedModel, record.Fallbacks)
            .ShouldBe(("default", (string?)"duty:default", "ollama-local", "qwen3:8b", "gpt-anything", 1));
    }

    /// <summary>The client's body, spaced and ordered so that any rewrite shows, with fields no stage knows.</summary>
    private const string ClientBody =
        "{ \"model\":\"claude-opus-4-1\",  \"stream\":true,\"max_tokens\":64,\"tool_choice\":{\"type\":\"any\"}," +
        "\"tools\":[{\"name\":\"Read\",\"input_schema\":{\"type\":\"object\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}], \"x_future\":1}";

    private static async Task<ScriptedUpstream> StartOverloadedAsync() => await ScriptedUpstream.StartAsync((context, _) =>
        AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("overloaded_error", "overloaded"), 529));

    [Fact]
    public async Task Fallback_NextTargetWithTheAskedModel_GetsTheClientsBytes_WhateverTheFailedTargetWasSent()
    {
        // Given a first target that is sent another model (so its body is rewritten) and always fails
        await using var failing = await StartOverloadedAsync();
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "routes": { "default": ["flaky:claude-sonnet-4-5", "anthropic:claude-opus-4-1"] }
            """, $", \"flaky\": {{ \"type\": \"anthropic\", \"baseUrl\": \"{failing.BaseUrl}\" }}"));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(ClientBody), Cancel);

        // Then the first target was tried three times with its own model
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        failing.Requests.Count.ShouldBe(3);
        failing.Requests.ShouldAllBe(seen => seen.BodyText.Contains("\"model\":\"claude-sonnet-4-5\""));
        // And the fallback, whose model is the one asked, got the client's body byte for byte: nothing to restore
        _anthropic.Requests.ShouldHaveSingleItem().BodyText.ShouldBe(ClientBody);
    }

    [Fact]
    public async Task Fallback_NextTarget_GetsItsOwnModelAndNoneOfTheFailedTargetsRepairs()
    {
        // Given a first target that cannot force a tool (Ollama: its copy loses tool_choice) and answers every chat
        // with a 500 (the scripted server's answer to a handler that throws)
        _ollama.Chat = _ => throw new InvalidOperationException("ollama is down");
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "routes": { "default": ["ollama-local:qwen3:8b", "anthropic:claude-haiku-4-5"] }
            """));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(ClientBody), Cancel);

        // Then Ollama was tried three times (a try and two retries) with its model, its copy repaired each time
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        _ollama.ChatRequests.Count().ShouldBe(3);
        _ollama.ChatRequests.ShouldAllBe(chat => chat["model"]!.GetValue<string>() == "qwen3:8b");
        switchboard.Logs.All.ShouldContain("dropped tool_choice any");
        // And the fallback got its own model and everything else as the client sent it, tool_choice included
        var sent = JsonNode.Parse(_anthropic.Requests.ShouldHaveSingleItem().Body)!.AsObject();
        sent["model"]!.GetValue<string>().ShouldBe("claude-haiku-4-5");
        var client = JsonNode.Parse(ClientBody)!.AsObject();
        sent.Remove("model");
        client.Remove("model");
        JsonNode.DeepEquals(sent, client).ShouldBeTrue(sent.ToJsonString());
    }

    [Fact]
    public async Task Fallback_OverloadReportedAsATranslatedStreamsFirstChunk_IsRetriedThenTheNextTargetAnswers()
    {
        // OpenRouter answers 200 and then reports its routed provider's failure as the first chunk
        await using var openrouter = await ScriptedOpenAI.StartAsync();
        openrouter.Chat = _ => [": OPENROUTER PROCESSING", ScriptedOpenAI.Error("Provider returned error", 502)];
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "routes": { "default": ["openrouter:lab/model", "ollama-local:qwen3:8b"] }
            """, $", \"openrouter\": {{ \"type\": \"openai\", \"baseUrl\": \"{openrouter.BaseUrl}\" }}"));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gpt-anything", stream: true)), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AnthropicWire.TextOfAsync(await response.Content.ReadAsStringAsync(Cancel), Cancel)).ShouldBe("from ollama qwen3:8b");
        openrouter.ChatRequests.Count().ShouldBe(3); // the first try and two retries
        switchboard.Logs.All.ShouldContain("fallbacks=openrouter:lab/model");
    }

    [Fact]
    public async Task Fallback_RefusalReportedAsAFirstChunk_GoesStraightBackAsAnHttpError()
    {
        await using var openrouter = await ScriptedOpenAI.StartAsync();
        openrouter.Chat = _ => [ScriptedOpenAI.Error("This model does not accept images", 400)];
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "routes": { "default": ["openrouter:lab/model", "ollama-local:qwen3:8b"] }
            """, $", \"openrouter\": {{ \"type\": \"openai\", \"baseUrl\": \"{openrouter.BaseUrl}\" }}"));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gpt-anything", stream: true)), Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("does not accept images");
        openrouter.ChatRequests.Count().ShouldBe(1);
        _ollama.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Fallback_UnreachableAndTimedOutTargets_AreSkippedToTheNext()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var stalled = new TaskCompletionSource();
        var reachedSilent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var silent = await ScriptedUpstream.StartAsync((context, _) =>
        {
            reachedSilent.TrySetResult();
            return stalled.Task.WaitAsync(context.RequestAborted);
        });
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "retry": { "attempts": 0 },
            "routes": { "default": ["down:claude-x", "silent:claude-y", "ollama-local:qwen3:8b"] }
            """.Replace("\"retry\": { \"attempts\": 0 },", ""),
            $", \"down\": {{ \"type\": \"anthropic\", \"baseUrl\": \"http://127.0.0.1:1\" }}, \"silent\": {{ \"type\": \"anthropic\", \"baseUrl\": \"{silent.BaseUrl}\", \"timeoutSeconds\": 600 }}")
            .Replace("\"attempts\": 2", "\"attempts\": 0"), options => options with { Time = time });

        var pending = switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gpt-anything", stream: false)), Cancel);
        // the clock moves only once the silent target holds the request, or its timeout could cancel it before it arrived
        await reachedSilent.Task.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        using var response = await time.AdvanceUntilAsync(pending, TimeSpan.FromSeconds(600));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldContain("from ollama qwen3:8b");
        silent.Requests.Count.ShouldBe(1);
        switchboard.Logs.All.ShouldContain("fallbacks=down:claude-x | silent:claude-y");
    }

    [Fact]
    public async Task Fallback_NonRetryableError_GoesStraightBackAndTheNextTargetIsNeverAsked()
    {
        await using var strict = await ScriptedUpstream.StartAsync((context, _) =>
            AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("invalid_request_error", "messages: field required"), 400));
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "routes": { "default": ["strict:claude-x", "ollama-local:qwen3:8b"] }
            """, $", \"strict\": {{ \"type\": \"anthropic\", \"baseUrl\": \"{strict.BaseUrl}\" }}"));

        using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gpt-anything")), Cancel);

        (await response.ShouldBeAnthropicErrorAsync(HttpStatusCode.BadRequest, "invalid_request_error")).ShouldContain("field required");
        strict.Requests.Count.ShouldBe(1);
        _ollama.ChatRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Fallback_NeverAfterStreamingBegan()
    {
        // The upstream starts a stream, and drops the connection only once the client has seen the start.
        var clientSawStart = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var breaking = await ScriptedUpstream.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(AnthropicWire.MessageStart("claude-x")));
            await context.Response.Body.FlushAsync();
            await clientSawStart.Task;
            context.Abort();
        });
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "routes": { "default": ["breaking:claude-x", "ollama-local:qwen3:8b"] }
            """, $", \"breaking\": {{ \"type\": \"anthropic\", \"baseUrl\": \"{breaking.BaseUrl}\" }}"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request("gpt-anything", stream: true)) };
        using var response = await switchboard.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));
        var text = new StringBuilder();
        while (await reader.ReadLineAsync(Cancel) is { } line)
        {
            text.AppendLine(line);
            if (line.StartsWith("data: {\"type\":\"message_start\"", StringComparison.Ordinal)) break;
        }
        clientSawStart.SetResult();
        text.Append(await reader.ReadToEndAsync(Cancel));

        text.ToString().ShouldContain("event: error");
        breaking.Requests.Count.ShouldBe(1);
        _ollama.ChatRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Cooldown_ATargetThatKeepsFailing_IsSkippedWhileOthersRemain()
    {
        await using var failing = await ScriptedUpstream.StartAsync((context, _) =>
            AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("api_error", "down"), 500));
        await using var switchboard = await RunningSwitchboard.StartAsync(Config("""
            "routes": { "default": ["flaky:claude-x", "ollama-local:qwen3:8b"] }
            """, $", \"flaky\": {{ \"type\": \"anthropic\", \"baseUrl\": \"{failing.BaseUrl}\" }}")
            .Replace("\"attempts\": 2", "\"attempts\": 0").Replace("\"failuresBeforeCooldown\": 3", "\"failuresBeforeCooldown\": 2"));

        for (var i = 0; i < 4; i++)
        {
            using var response = await switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request("gpt-anything", stream: false)), Cancel);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        failing.Requests.Count.ShouldBe(2); // two failures in a row, then cooling down
        _ollama.ChatRequests.Count().ShouldBe(4);
        switchboard.Logs.All.ShouldContain("flaky:claude-x (cooling down)");
    }
}
