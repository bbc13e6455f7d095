using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A real HTTP server on a loopback port that plays an upstream model: each test scripts what it answers, and
/// every request it received is kept for assertions (method, path, query, headers, body bytes).
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private Func<HttpContext, RecordedRequest, Task> _handler = (context, _) =>
    {
        context.Response.StatusCode = 500;
        return context.Response.WriteAsync("no script for this request");
    };

    private ScriptedUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public string BaseUrl { get; private set; } = "";

    /// <summary>Completes when a request's <c>RequestAborted</c> fires, i.e. Switchboard cancelled it.</summary>
    public TaskCompletionSource RequestCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<ScriptedUpstream> StartAsync(Func<HttpContext, RecordedRequest, Task>? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new ScriptedUpstream(app);
        if (handler is not null) upstream._handler = handler;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var recorded = new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase),
                body.ToArray())
            {
                RawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "",
            };
            upstream.Requests.Enqueue(recorded);
            context.RequestAborted.Register(() => upstream.RequestCancelled.TrySetResult());
            await upstream._handler(context, recorded);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        upstream.BaseUrl = address.TrimEnd('/');
        return upstream;
    }

    public void Script(Func<HttpContext, RecordedRequest, Task> handler) => _handler = handler;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record RecordedRequest(
    string Method, string Path, string Query, IReadOnlyDictionary<string, string?[]> Headers, byte[] Body)
{
    /// <summary>The request target exactly as sent, percent-encoding included (<see cref="Path"/> is decoded).</summary>
    public string RawTarget { get; init; } = "";

    public string? Header(string name) => Headers.TryGetValue(name, out var values) ? string.Join(",", values) : null;
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
