using System.Buffers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Anthropic;

namespace Switchboard.Hosting.Team.SignIn;

/// <summary>
/// <c>POST /v1/metrics</c>, <c>/v1/logs</c>, <c>/v1/traces</c> (gateway protocol, "Telemetry"): a signed-in client's
/// OTLP/HTTP export, protobuf or JSON. Always <c>200</c> once the caller is known (a 404 would make the client's
/// exporter log an error on every flush), answered as OTLP/HTTP answers success: an empty export response in the
/// request's own encoding. What arrives is counted per user (<see cref="Switchboard.Team.TelemetryReceived"/>), not
/// kept; forwarding to the organisation's collector is not built yet.
/// </summary>
internal sealed class TelemetryEndpoint(TeamServices team, TimeProvider time)
{
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public void Map(WebApplication app)
    {
        foreach (var signal in Switchboard.Team.TelemetryReceived.Signals)
            app.MapPost($"/v1/{signal}", context => HandleAsync(context, signal)).WithMetadata(AnyBodyEndpoint.Instance);
    }

    private async Task HandleAsync(HttpContext context, string signal)
    {
        if (TeamCaller.Of(context) is not { } principal)
        {
            await ErrorReplies.WriteAsync(context, AnthropicError.NotFound("Telemetry is taken from signed-in users; the operator key belongs to no user."));
            return;
        }
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await ErrorReplies.WriteAsync(context, AnthropicError.TooLarge($"A telemetry batch may hold up to {MaxBodyBytes / 1024 / 1024} MB; send smaller batches."));
            return;
        }
        var json = context.Request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
        var body = new ArrayBufferWriter<byte>(4096);
        long bytes = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                bytes += read;
                if (bytes > MaxBodyBytes)
                {
                    await ErrorReplies.WriteAsync(context, AnthropicError.TooLarge($"A telemetry batch may hold up to {MaxBodyBytes / 1024 / 1024} MB; send smaller batches."));
                    return;
                }
                // Only a JSON batch is read for its sessions; a protobuf one is only counted.
                if (json) body.Write(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var sessions = json ? Switchboard.Team.TelemetryReceived.SessionsIn(body.WrittenSpan) : [];
        team.Authenticator.Telemetry.Received(principal.UserId, signal, bytes, sessions, time.GetUtcNow());
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (json)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{}", context.RequestAborted);
        }
        else
        {
            // An empty Export*ServiceResponse is zero bytes of protobuf.
            context.Response.ContentType = "application/x-protobuf";
        }
    }
}
