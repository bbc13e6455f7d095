using System.Globalization;
using Microsoft.Playwright;
using Shouldly;
using Switchboard.Ledger;
using Switchboard.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Tests.Dashboard;

/// <summary>
/// The dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against a daemon that has
/// served real traffic: the numbers on the page are the ledger's, the live log shows new requests as they finish,
/// and the config editor refuses an invalid edit and applies a valid one. Screenshots go to
/// <see cref="Artifacts"/>.
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private const string ClientKey = "browser-key-0123456789abcdef";
    private const string TeamToken = "team-token-fedcba9876543210";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static string Artifacts { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard");

    private ScriptedUpstream _anthropic = null!;
    private ScriptedOllama _ollama = null!;
    private RunningSwitchboard _switchboard = null!;
    private HeadlessChromium _chromium = null!;

    public async ValueTask InitializeAsync()
    {
        _anthropic = await ScriptedUpstream.StartAsync((context, _) => AnthropicWire.WriteSseAsync(context,
            AnthropicWire.Event("message_start", """{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"usage":{"input_tokens":1200,"cache_read_input_tokens":5000,"output_tokens":1}}}""") +
            AnthropicWire.Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":300}}""") +
            AnthropicWire.Event("message_stop", """{"type":"message_stop"}""")));
        _ollama = await ScriptedOllama.StartAsync();
        _ollama.Models["claude-haiku-4-5"] = (["completion", "tools"], 65536);
        _ollama.Chat = _ => [ScriptedOllama.Text("hi", "claude-haiku-4-5"), ScriptedOllama.Done(prompt: 4000, eval: 500)];
        _switchboard = await RunningSwitchboard.StartAsync($$"""
            {
              "apiKey": "{{ClientKey}}",
              "defaultProvider": "ollama-local",
              "providers": {
                "anthropic": { "type": "anthropic", "baseUrl": "{{_anthropic.BaseUrl}}", "headers": { "x-team-token": "{{TeamToken}}" } },
                "ollama-local": { "type": "ollama", "baseUrl": "{{_ollama.BaseUrl}}" },
                "cloud": { "type": "ollama", "baseUrl": "https://ollama.com", "apiKey": "$OLLAMA_API_KEY" }
              }
            }
            """);
        _switchboard.Client.DefaultRequestHeaders.Add("x-api-key", ClientKey);
        Directory.CreateDirectory(Artifacts);
        _chromium = await HeadlessChromium.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _switchboard.DisposeAsync();
        await _ollama.DisposeAsync();
        await _anthropic.DisposeAsync();
    }

    private async Task SendAsync(string model)
    {
        using var response = await _switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request(model)), Cancel);
        await response.Content.ReadAsStringAsync(Cancel);
    }

    [Fact]
    public async Task Dashboard_WithRecordedTraffic_ShowsTheLedgersNumbersLiveRequestsAndEditsTheConfig()
    {
        // Given traffic: two Sonnet requests to Anthropic, one that Anthropic refuses, one Haiku request served locally
        await SendAsync("anthropic:claude-sonnet-4-5");
        await SendAsync("anthropic:claude-sonnet-4-5");
        _anthropic.Script((context, _) => AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("overloaded_error", "Overloaded"), 529));
        await SendAsync("anthropic:claude-sonnet-4-5");
        await SendAsync("claude-haiku-4-5");
        await _switchboard.RecordsAsync(4);

        // When the dashboard is opened: it asks for the key first
        var page = await _chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var browserErrors = new List<string>();
        // Script errors only: a refused request (401 before the key, 422 for the invalid edit) is logged too, and expected
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                browserErrors.Add(message.Text);
        };
        page.PageError += (_, error) => browserErrors.Add(error);
        await page.GotoAsync(new Uri(_switchboard.Address, "/ui").ToString());
        await Expect(page.Locator("#login")).ToBeVisibleAsync();
        await page.FillAsync("#login input[name=key]", ClientKey);
        await page.ClickAsync("#login button");

        // Then the totals, per-provider numbers and latencies are the ledger's
        await Expect(page.GetByTestId("total-requests")).ToHaveTextAsync("4");
        var today = UsagePeriod.Parse("today", TimeProvider.System)!;
        var ledger = _switchboard.Server.Usage.Ledger!;
        var byProvider = ledger.Totals(today.From, today.To, UsageGrouping.Provider).ToDictionary(t => t.Key);
        var total = UsageTotals.Sum("all", byProvider.Values);
        (total.InputTokens, total.OutputTokens, total.CacheReadTokens).ShouldBe((6400L, 1100L, 10000L));
        var sonnet = (1200 * 3 + 300 * 15 + 5000 * 0.30) / 1e6;
        total.Cost.ShouldBe(2 * sonnet, 1e-12);
        total.Savings.ShouldBe((4000 * 1 + 500 * 5) / 1e6, 1e-12);

        await Expect(page.GetByTestId("total-errors")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("total-input")).ToHaveTextAsync(Count(total.InputTokens));
        await Expect(page.GetByTestId("total-output")).ToHaveTextAsync(Count(total.OutputTokens));
        await Expect(page.GetByTestId("total-cache")).ToHaveTextAsync($"{Count(total.CacheReadTokens)} / {Count(total.CacheWriteTokens)}");
        await Expect(page.GetByTestId("total-cost")).ToHaveTextAsync(Dollars(total.Cost));
        await Expect(page.GetByTestId("total-savings")).ToHaveTextAsync(Dollars(total.Savings));
        foreach (var (provider, totals) in byProvider)
        {
            var row = page.Locator($"[data-testid=by-provider] tr[data-key='{provider}']");
            await Expect(row.Locator("[data-col=requests]")).ToHaveTextAsync(Count(totals.Requests));
            await Expect(row.Locator("[data-col=errors]")).ToHaveTextAsync(Count(totals.Errors));
            await Expect(row.Locator("[data-col=inputTokens]")).ToHaveTextAsync(Count(totals.InputTokens));
            await Expect(row.Locator("[data-col=cost]")).ToHaveTextAsync(Dollars(totals.Cost));
            await Expect(row.Locator("[data-col=savings]")).ToHaveTextAsync(Dollars(totals.Savings));
            await Expect(page.Locator($"[data-testid=latency] tr[data-key='{provider}'] [data-col=requests]")).ToHaveTextAsync(Count(totals.Requests));
        }
        // Routing names the duty: the haiku-class request is Claude Code's background work.
        await Expect(page.Locator("[data-testid=by-duty] tr[data-key=default] [data-col=requests]")).ToHaveTextAsync("3");
        await Expect(page.Locator("[data-testid=by-duty] tr[data-key=background] [data-col=requests]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-testid=log] tr[data-status]")).ToHaveCountAsync(4);
        await Expect(page.Locator("[data-testid=chart] svg rect")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("[data-testid=chart] .legend")).ToContainTextAsync("ollama-local");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "1-overview.png"), FullPage = true });

        // When a request finishes while the page is open
        await Expect(page.GetByTestId("live-state")).ToHaveTextAsync("live");
        await SendAsync("claude-haiku-4-5");

        // Then it appears in the log and the totals without a reload
        await Expect(page.Locator("[data-testid=log] tr[data-status]")).ToHaveCountAsync(5);
        await Expect(page.Locator("[data-testid=log] tr[data-status]").First.Locator("[data-col='routed to']")).ToHaveTextAsync("ollama-local:claude-haiku-4-5");
        await Expect(page.GetByTestId("total-requests")).ToHaveTextAsync("5");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "2-live.png") });

        // And the config editor shows the file with its secrets masked and its references kept
        var editor = page.GetByTestId("config-text");
        await Expect(editor).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\\$OLLAMA_API_KEY"));
        var shown = await editor.InputValueAsync();
        shown.ShouldContain("\"x-team-token\": \"********3210\"");
        (await page.ContentAsync()).ShouldNotContain(TeamToken);
        shown.ShouldNotContain(ClientKey);
        var onDisk = await File.ReadAllTextAsync(_switchboard.Home.Home.ConfigFile, Cancel);

        // When an invalid edit is saved, it is refused with its path and the file stays as it was
        await editor.FillAsync(shown.Replace("\"defaultProvider\": \"ollama-local\"", "\"defaultProvider\": \"nowhere\""));
        await page.GetByTestId("config-save").ClickAsync();
        await Expect(page.GetByTestId("config-status")).ToContainTextAsync("not saved");
        await Expect(page.GetByTestId("config-problems")).ToContainTextAsync("$.defaultProvider");
        (await File.ReadAllTextAsync(_switchboard.Home.Home.ConfigFile, Cancel)).ShouldBe(onDisk);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "3-config-refused.png"), FullPage = true });

        // When a valid edit is saved (a price for the local model), it is written with the secrets restored and served
        await editor.FillAsync(shown.Replace("\"providers\": {",
            "\"prices\": { \"ollama-local:claude-haiku-4-5\": { \"input\": 1, \"output\": 5 } },\n  \"providers\": {"));
        await page.GetByTestId("config-save").ClickAsync();
        await Expect(page.GetByTestId("config-status")).ToContainTextAsync("saved; the daemon now serves version 2");
        var saved = await File.ReadAllTextAsync(_switchboard.Home.Home.ConfigFile, Cancel);
        saved.ShouldContain($"\"x-team-token\": \"{TeamToken}\"");
        saved.ShouldContain($"\"apiKey\": \"{ClientKey}\"");
        saved.ShouldContain("\"$OLLAMA_API_KEY\"");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Artifacts, "4-config-saved.png"), FullPage = true });

        // Then the next request is priced with it
        await SendAsync("claude-haiku-4-5");
        (await _switchboard.RecordsAsync(6))[^1].Cost.ShouldNotBeNull().ShouldBe((4000 * 1 + 500 * 5) / 1e6, 1e-12);
        browserErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Dashboard_OnTheLocalPath_ShowsNoTeamPages_AndLoadsNoneOfThem()
    {
        var page = await _chromium.Browser.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(new Uri(request.Url).AbsolutePath);
        await page.GotoAsync(new Uri(_switchboard.Address, "/ui/").ToString());
        await page.FillAsync("#login input[name=key]", ClientKey);
        await page.ClickAsync("#login button");

        // The page asked the server whether it runs in team mode before loading anything else, and was told no
        await Expect(page.GetByTestId("total-requests")).ToHaveTextAsync("0");
        await Expect(page.GetByTestId("live-state")).ToHaveTextAsync("live");
        await Expect(page.GetByTestId("team")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("sign-out")).ToHaveCountAsync(0);
        requested.ShouldContain("/health");
        requested.ShouldNotContain(path => path.Contains("team", StringComparison.Ordinal));
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Dollars(double value) => "$" + value.ToString("F4", CultureInfo.InvariantCulture);
}
