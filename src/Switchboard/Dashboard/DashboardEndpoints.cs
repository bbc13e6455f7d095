using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Hosting;
using Switchboard.Hosting.Team;
using Switchboard.Team.Ledger;
using Switchboard.Ledger;

namespace Switchboard.Dashboard;

/// <summary>
/// <c>/ui</c>: the dashboard's pages (embedded, served as they are) and its API under <c>/ui/api</c>: usage
/// summaries and recent requests from the ledger, a live feed of requests as they finish, and the config editor.
/// <c>/metrics</c> sits beside it. The pages are public; the API needs the client key like every other endpoint
/// (<see cref="RequestGuard"/>, which also refuses other sites and bodies that are not JSON).
/// </summary>
internal sealed class DashboardEndpoints(ConfigStore config, LedgerServices usage, TimeProvider time, CancellationToken stopping)
{
    private const string ResourcePrefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly MaskedConfigFile _editor = new(config);

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/ui/{file?}", PageAsync).WithMetadata(PublicEndpoint.Instance);
        app.MapGet("/ui/api/summary", SummaryAsync);
        app.MapGet("/ui/api/requests", RequestsAsync);
        app.MapGet("/ui/api/live", AdminsOnly(LiveAsync));
        app.MapGet("/ui/api/config", AdminsOnly(ConfigAsync));
        app.MapPost("/ui/api/config/check", AdminsOnly(CheckAsync));
        app.MapPut("/ui/api/config", AdminsOnly(SaveAsync));
        app.MapGet("/metrics", MetricsAsync);
    }

    /// <summary>
    /// In team mode everyone's live requests and the gateway's config are for administrators, as the usage figures
    /// are (<see cref="TeamUsageAccess"/>); a member's key gets a 403 saying so. On the local path nothing is checked.
    /// </summary>
    private static RequestDelegate AdminsOnly(RequestDelegate handle) => context =>
        TeamUsageAccess.Allowed(context) ? handle(context) : ErrorReplies.WriteAsync(context, ForAdmins);

    private static readonly AnthropicError ForAdmins = new(StatusCodes.Status403Forbidden, ErrorTypes.Permission,
        "The dashboard's live feed and config editor are for administrators in team mode: use the operator key (apiKey) " +
        "or a key of a user with the admin role.") { ShouldRetry = false };

    /// <summary>The embedded pages; the name comes from a fixed set, never from the file system.</summary>
    private static async Task PageAsync(HttpContext context)
    {
        if (context.Request.Path.Value == "/ui")
        {
            // The pages link their scripts relatively, so they must be read from /ui/.
            context.Response.Redirect("/ui/");
            return;
        }
        var name = context.Request.RouteValues["file"] as string ?? "index.html";
        var contentType = ContentTypes.GetValueOrDefault(Path.GetExtension(name));
        using var resource = contentType is null || name.Contains('/')
            ? null
            : typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(ResourcePrefix + name);
        if (resource is null)
        {
            await ErrorReplies.WriteAsync(context, AnthropicError.NotFound($"The dashboard has no page '{name}'."));
            return;
        }
        var headers = context.Response.Headers;
        headers.ContentType = contentType;
        headers.CacheControl = "no-cache";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Content-Security-Policy"] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";
        await resource.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private Task SummaryAsync(HttpContext context) => ReadAsync(context, (ledger, period) =>
        context.Response.WriteAsJsonAsync(UsageSummary.Read(ledger, period, usage.Writer?.Dropped ?? 0), UsageJson.Default.UsageSummary,
            cancellationToken: context.RequestAborted));

    private Task RequestsAsync(HttpContext context) => ReadAsync(context, (ledger, period) =>
    {
        var limit = int.TryParse(context.Request.Query["limit"], out var requested) ? Math.Clamp(requested, 1, 1000) : 200;
        var records = ledger.Recent(period.From, period.To, limit).ToList();
        return context.Response.WriteAsJsonAsync(records, UsageJson.Default.ListRequestRecord, cancellationToken: context.RequestAborted);
    });

    /// <summary>Reads the ledger (the file, or in team mode PostgreSQL) for the period the query names.</summary>
    private Task ReadAsync(HttpContext context, Func<IUsageReader, UsagePeriod, Task> read)
    {
        if (UsagePeriod.Parse(context.Request.Query["period"], time) is not { } period)
            return BadPeriod(context);
        if (usage.Reader is not { } ledger) return NoLedger(context);
        if (!TeamUsageAccess.Allowed(context)) return ErrorReplies.WriteAsync(context, TeamUsageAccess.AdminsOnly);
        try
        {
            return read(ledger, period);
        }
        catch (Exception ex) when (ledger.KnowsCallers && TeamUsageAccess.IsUnavailable(ex))
        {
            return ErrorReplies.WriteAsync(context, TeamUsageAccess.Unavailable(ex));
        }
    }

    /// <summary>Server-sent events, one <c>request</c> event per finished request, until the page or the daemon goes.</summary>
    private async Task LiveAsync(HttpContext context)
    {
        using var watch = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        using var feed = usage.Live.Subscribe();
        // The comment tells the page it is subscribed: requests from now on will arrive.
        await response.WriteAsync(": live\n\n", watch.Token);
        await response.Body.FlushAsync(watch.Token);
        try
        {
            await foreach (var record in feed.Reader.ReadAllAsync(watch.Token))
            {
                var json = JsonSerializer.Serialize(record, UsageJson.Default.RequestRecord);
                await response.WriteAsync($"event: request\ndata: {json}\n\n", watch.Token);
                await response.Body.FlushAsync(watch.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private Task ConfigAsync(HttpContext context) =>
        context.Response.WriteAsJsonAsync(_editor.Read(), DashboardJson.Default.ConfigView, cancellationToken: context.RequestAborted);

    private async Task CheckAsync(HttpContext context)
    {
        if (await ReadEditAsync(context) is not { } edit) return;
        var (_, problems) = _editor.Check(edit.Text);
        await context.Response.WriteAsJsonAsync(new CheckResult(problems.Count == 0, problems), DashboardJson.Default.CheckResult,
            cancellationToken: context.RequestAborted);
    }

    private async Task SaveAsync(HttpContext context)
    {
        if (await ReadEditAsync(context) is not { } edit) return;
        var result = _editor.Save(edit);
        context.Response.StatusCode = result.Outcome switch
        {
            SaveOutcome.Saved => StatusCodes.Status200OK,
            SaveOutcome.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        await context.Response.WriteAsJsonAsync(result, DashboardJson.Default.SaveResult, cancellationToken: context.RequestAborted);
    }

    /// <summary>An edit as JSON (RequestGuard has refused any other content type, so no cross-site form can post one).</summary>
    private static async Task<ConfigEdit?> ReadEditAsync(HttpContext context)
    {
        try
        {
            var edit = await context.Request.ReadFromJsonAsync(DashboardJson.Default.ConfigEdit, context.RequestAborted);
            if (edit?.Text is not null && edit.Revision is not null) return edit;
        }
        catch (JsonException)
        {
        }
        await ErrorReplies.WriteAsync(context, AnthropicError.InvalidRequest("Send {\"text\": \"…\", \"revision\": \"…\"}."));
        return null;
    }

    private Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        var text = usage.Metrics.Write(usage.Writer);
        if (usage.Reader is { KnowsCallers: true } team && TeamUsageAccess.Allowed(context) && UsagePeriod.Parse("today", time) is { } today)
            text += TeamUsageMetrics.Write(team, today);
        return context.Response.WriteAsync(text, Encoding.UTF8, context.RequestAborted);
    }

    private static Task BadPeriod(HttpContext context) => ErrorReplies.WriteAsync(context,
        AnthropicError.InvalidRequest($"period must be one of {string.Join(", ", UsagePeriod.Names)}."));

    private static Task NoLedger(HttpContext context) => ErrorReplies.WriteAsync(context,
        AnthropicError.Api("The usage ledger could not be opened; see the daemon's log.", 503));
}
