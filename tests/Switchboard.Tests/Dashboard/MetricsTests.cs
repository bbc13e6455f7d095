using System.Net;
using Shouldly;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Dashboard;

public sealed class MetricsTests : UpstreamBehindSwitchboard
{
    [Fact]
    public async Task Metrics_AfterRequests_CountRequestsErrorsTokensAndLatencyPerProviderAndDuty()
    {
        // Given two answered requests and one overloaded
        Upstream.Script((context, _) => AnthropicWire.WriteSseAsync(context, AnthropicWire.TextStream("claude-sonnet-4-5", "ok", inputTokens: 100, outputTokens: 20)));
        for (var i = 0; i < 2; i++)
            (await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel)).Dispose();
        Upstream.Script((context, _) => AnthropicWire.WriteJsonAsync(context, AnthropicWire.Error("overloaded_error", "Overloaded"), 529));
        (await Switchboard.Client.PostAsync("/v1/messages", AnthropicWire.Json(AnthropicWire.Request()), Cancel)).Dispose();

        // When Prometheus scrapes
        using var response = await Switchboard.Client.GetAsync("/metrics", Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);

        // Then the exposition has each family with the labels Prometheus expects
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldStartWith("text/plain; version=0.0.4");
        var lines = text.Split('\n');
        lines.ShouldContain("switchboard_requests_total{provider=\"anthropic\",duty=\"default\",status=\"200\"} 2");
        lines.ShouldContain("switchboard_requests_total{provider=\"anthropic\",duty=\"default\",status=\"529\"} 1");
        lines.ShouldContain("switchboard_request_errors_total{provider=\"anthropic\",duty=\"default\",type=\"overloaded_error\"} 1");
        lines.ShouldContain("switchboard_tokens_total{provider=\"anthropic\",duty=\"default\",kind=\"input\"} 200");
        lines.ShouldContain("switchboard_tokens_total{provider=\"anthropic\",duty=\"default\",kind=\"output\"} 40");
        lines.ShouldContain("switchboard_request_duration_seconds_bucket{provider=\"anthropic\",duty=\"default\",le=\"+Inf\"} 3");
        lines.ShouldContain("switchboard_request_duration_seconds_count{provider=\"anthropic\",duty=\"default\"} 3");
        lines.ShouldContain("# TYPE switchboard_request_duration_seconds histogram");
        lines.ShouldContain("switchboard_ledger_dropped_total 0");
        // Buckets are cumulative: never fewer requests at a larger bound
        var buckets = lines.Where(l => l.StartsWith("switchboard_time_to_first_byte_seconds_bucket", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..])).ToList();
        buckets.Count.ShouldBe(13);
        buckets.ShouldBe(buckets.Order().ToList());
    }
}
