using System.Net;
using System.Text;
using Shouldly;
using Switchboard.Ledger;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Ledger;

/// <summary>Requests through the real server land in the ledger with what their replies said.</summary>
public sealed class LedgerRecordingTests : UpstreamBehindSwitchboard
{
    private const string StartWithCache =
        """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":300,"cache_read_input_tokens":2000,"output_tokens":1}}}""";

    [Fact]
    public async Task StreamedPassThrough_UsageReadFromTheRelayedBytes_IsRecordedWithSessionTimingAndCost()
    {
        // Given an Anthropic upstream streaming a reply with cache usage, in awkward pieces
        var stream = AnthropicWire.Event("message_start", StartWithCache) +
                     AnthropicWire.TextStream("claude-sonnet-4-5", "hello")[AnthropicWire.MessageStart("claude-sonnet-4-5").Length..]
                         .Replace("\"output_tokens\":5", "\"output_tokens\":77", StringComparison.Ordinal);
        Upstream.Script((context, _) => AnthropicWire.WriteSseInPiecesAsync(context, stream));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request()) };
        request.Headers.Add(UsageCaptureHeader, "session-abc");

        // When Claude Code's request goes through
        using var response = await Switchboard.Client.SendAsync(request, Cancel);
        (await response.Content.ReadAsStringAsync(Cancel)).ShouldBe(stream);

        // Then one record holds where it went, what it used and what it cost
        var record = (await Switchboard.RecordsAsync(1)).ShouldHaveSingleItem();
        (record.Provider, record.Model, record.RequestedModel, record.Duty, record.Rule, record.Fallbacks)
            .ShouldBe(("anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5", "default", (string?)"default provider", 0));
        (record.InputTokens, record.OutputTokens, record.CacheReadTokens, record.CacheWriteTokens).ShouldBe((12L, 77L, 2000L, 300L));
        (record.Status, record.Error, record.Streamed, record.Session).ShouldBe((200, (string?)null, true, "session-abc"));
        record.TimeToFirstByteMs.ShouldNotBeNull().ShouldBeLessThanOrEqualTo(record.LatencyMs);
        record.Cost.ShouldNotBeNull().ShouldBe((12 * 3 + 77 * 15 + 2000 * 0.30 + 300 * 3.75) / 1e6, 1e-12);
        record.Savings.ShouldBe(0);
    }

    [Fact]
    public async Task NonStreamedPassThrough_UsageReadFromTheJsonBody_AndSessionFromMetadata()
    {
        Upstream.Script((context, _) => AnthropicWire.WriteJsonAsync(context, AnthropicWire.TextMessage("claude-haiku-4-5", "whole")));
        var body = """{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}],"metadata":{"user_id":"{\"device_id\":\"d\",\"account_uuid\":\"\",\"session_id\":\"3d95fdb4-9e31\"}"}}""";

        using var response = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(body), Cancel);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var record = (await Switchboard.RecordsAsync(1)).ShouldHaveSingleItem();
        (record.InputTokens, record.OutputTokens, record.Streamed, record.Session).ShouldBe((10L, 5L, false, "3d95fdb4-9e31"));
        record.Cost.ShouldNotBeNull().ShouldBe((10 * 1 + 5 * 5) / 1e6, 1e-12);
    }

    [Fact]
    public async Task UpstreamError_IsRecordedWithItsStatusAndType()
    {
        Upstream.Script((context, _) => AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("overloaded_error", "Overloaded"), 529));

        using var response = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel);

        ((int)response.StatusCode).ShouldBe(529);
        var record = (await Switchboard.RecordsAsync(1)).ShouldHaveSingleItem();
        (record.Status, record.Error, record.InputTokens).ShouldBe((529, "overloaded_error", 0L));
    }

    [Fact]
    public async Task StreamBrokenOff_KeepsTheTokensSeenAndRecordsTheFailure()
    {
        // Given an upstream that sends message_start, then drops the connection once the client has it
        var clientHasIt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Upstream.Script(async (context, _) =>
        {
            await AnthropicWire.WriteSseAsync(context, AnthropicWire.Event("message_start", StartWithCache));
            await clientHasIt.Task;
            context.Abort();
        });

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = AnthropicWire.Json(AnthropicWire.Request()) };
        using var response = await Switchboard.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));
        var text = new StringBuilder();
        var buffer = new char[256];
        while (!text.ToString().Contains("\n\n", StringComparison.Ordinal))
        {
            var read = await reader.ReadAsync(buffer, Cancel);
            if (read == 0) break;
            text.Append(buffer, 0, read);
        }
        clientHasIt.SetResult();
        (await reader.ReadToEndAsync(Cancel)).ShouldContain("event: error");

        // Then the record keeps what message_start said, and that the stream failed
        var record = (await Switchboard.RecordsAsync(1)).ShouldHaveSingleItem();
        (record.Status, record.Error, record.InputTokens, record.CacheReadTokens).ShouldBe((200, "api_error", 12L, 2000L));
    }

    [Fact]
    public async Task RequestsThatNeverReachAProvider_AndTokenCounts_AreNotRecorded()
    {
        Upstream.Script((context, _) => AnthropicWire.WriteJsonAsync(context, """{"input_tokens":3}"""));
        using var bad = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json("{ not json"), Cancel);
        using var count = await Switchboard.Client.PostAsync("/v1/messages/count_tokens",
            AnthropicWire.Json("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"x"}]}"""), Cancel);
        Upstream.Script((context, _) => AnthropicWire.WriteJsonAsync(context, AnthropicWire.TextMessage("m", "ok")));
        using var real = await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(stream: false)), Cancel);

        // Only the real request is there once the writer has caught up with it
        // (the writer counts a batch just after committing it, so the count may trail the record by a moment)
        (await Switchboard.RecordsAsync(1)).ShouldHaveSingleItem().RequestedModel.ShouldBe("claude-sonnet-4-5");
        var writer = Switchboard.Server.Usage.Writer!;
        await Eventually.WaitAsync(() => writer.Written >= 1, "the writer to count the record it committed");
        writer.Written.ShouldBe(1);
    }

    private const string UsageCaptureHeader = "x-claude-code-session-id";
}

/// <summary>Replies translated from another wire format are recorded from their events.</summary>
public sealed class LedgerRecordingTranslatedTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OllamaReply_TokensFromItsEvents_LocalModelCostsNothingAndSavesTheClaudePrice(bool stream)
    {
        // Given Ollama as the default provider, serving a model under a Claude name
        await using var ollama = await ScriptedOllama.StartAsync();
        ollama.Models["claude-haiku-4-5"] = (["completion", "tools"], 65536);
        ollama.Chat = _ => [ScriptedOllama.Text("hi"), ScriptedOllama.Done(prompt: 4000, eval: 500)];
        await using var switchboard = await RunningSwitchboard.StartAsync($$$"""
            {"defaultProvider":"ollama-local","providers":{"ollama-local":{"type":"ollama","baseUrl":"{{{ollama.BaseUrl}}}"} } }
            """);

        using var response = await switchboard.Client.PostAsync("/v1/messages",
            AnthropicWire.Json(AnthropicWire.Request("claude-haiku-4-5", stream)), Cancel);
        await response.Content.ReadAsStringAsync(Cancel);

        var record = (await switchboard.RecordsAsync(1)).ShouldHaveSingleItem();
        (record.Provider, record.Model, record.InputTokens, record.OutputTokens, record.Streamed)
            .ShouldBe(("ollama-local", "claude-haiku-4-5", 4000L, 500L, stream));
        record.Cost.ShouldBe(0);
        record.RequestedCost.ShouldNotBeNull().ShouldBe((4000 * 1 + 500 * 5) / 1e6, 1e-12);
        record.Savings.ShouldBe(record.RequestedCost);
    }
}
