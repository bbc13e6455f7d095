using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Forwarding;
using Switchboard.Providers;
using Switchboard.Hosting.Team;
using Switchboard.Routing;
using Switchboard.Team;

namespace Switchboard.Hosting;

/// <summary>
/// <c>POST /v1/messages</c> and <c>POST /v1/messages/count_tokens</c>: read and check the request, pick the targets,
/// hand it to the forwarder and write the reply it gives. Every failure leaves as an Anthropic error.
/// </summary>
internal sealed class MessagesEndpoint(ConfigStore configStore, ReplyWriter replies, IForwarder forwarder, ILogger logger,
    SessionActivity sessions, GroupPolicyCache? groupPolicies = null, ShutdownGrace? grace = null)
{
    /// <summary>Anthropic's own request size limit.</summary>
    public const long MaxBodyBytes = 32 * 1024 * 1024;

    /// <summary>How much of an oversized body is read and discarded so the client can still be told why.</summary>
    public const long DrainLimitBytes = 4 * MaxBodyBytes;

    public Task HandleMessagesAsync(HttpContext context) => HandleAsync(context, countTokens: false);
    public Task HandleCountTokensAsync(HttpContext context) => HandleAsync(context, countTokens: true);

    /// <summary>The request and headers without the billing-group tag and its beta; the group it names, if the caller's, is charged.</summary>
    private static (MessagesRequest, List<KeyValuePair<string, string>>) TakeOutBillingGroup(HttpContext context, MessagesRequest request,
        List<KeyValuePair<string, string>> headers, string tag, TeamPrincipal caller)
    {
        var (stripped, group) = BillingGroupTag.TakeOut(request, tag, caller.GroupNames);
        if (group is not null && UsageCapture.Of(context) is { } usage) usage.BillingGroupId = caller.GroupIds[IndexOf(caller.GroupNames, group)];
        var kept = new List<KeyValuePair<string, string>>(headers.Count);
        foreach (var header in headers)
            if (!header.Key.Equals("anthropic-beta", StringComparison.OrdinalIgnoreCase)) kept.Add(header);
            else if (BillingGroupTag.WithoutBeta(header.Value) is { } rest) kept.Add(KeyValuePair.Create(header.Key, rest));
        return (stripped, kept);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }

    private async Task HandleAsync(HttpContext context, bool countTokens)
    {
        var started = Stopwatch.GetTimestamp();
        var snapshot = configStore.Current;
        // From here on "aborted" also means this daemon's shutdown grace ran out: everything downstream (the upstream
        // call, the relay, the SSE writer) stops on the one token, and the writer then ends the stream with an error event.
        using var stopping = grace is null ? null : CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, grace.Over);
        if (stopping is not null) context.RequestAborted = stopping.Token;
        try
        {
            RefuseEncodedBody(context.Request);
            var body = await ReadBodyAsync(context);
            var request = RequestParser.Parse(body.Span);
            var parsed = request;
            var invalid = RequestValidator.Validate(request, requireMaxTokens: !countTokens);
            if (invalid is not null) throw new AnthropicErrorException(invalid);
            var model = request.Model!;
            var clientStreams = request.IsStreaming && !countTokens;

            var clientHeaders = ClientAuth.ForwardableHeaders(context, ClientKey.Of(snapshot.Config).Value);
            // Team mode: the caller's groups may route elsewhere and allow only some targets; no team, no work.
            var caller = groupPolicies is null ? null : TeamCaller.Of(context);
            if (caller is not null && snapshot.Config.Team?.BillingGroupTag is { } billingTag)
                (request, clientHeaders) = TakeOutBillingGroup(context, request, clientHeaders, billingTag, caller);
            var policy = caller is null ? null : await groupPolicies!.ForAsync(caller, snapshot, context.RequestAborted);
            var decision = Router.Decide(request, clientHeaders, policy?.Config ?? snapshot.Config, PinnedTarget(context));
            if (policy is not null) decision = groupPolicies!.Restrict(policy, decision, caller!);
            // From here on, the request as routing left it (without a CCR subagent tag); the parsed one stays as it
            // was, to tell whether the client's bytes can still be sent.
            request = decision.Request;
            var usage = UsageCapture.Of(context);
            usage?.Routed(request, model, decision.Primary, clientStreams);
            if (usage is not null) (usage.Duty, usage.Rule) = (decision.Duty, decision.Reason.Text);
            var call = new ProviderCall
            {
                Request = request,
                // What the client's bytes say: any edit since (routing's, the billing tag taken out) rewrites them.
                OriginalRequest = parsed,
                OriginalBody = body,
                QueryString = context.Request.QueryString.Value ?? "",
                ClientHeaders = clientHeaders,
            };

            var sent = await forwarder.ForwardAsync(decision, call, snapshot, countTokens, usage?.Reply, context.RequestAborted);
            var target = sent.Target.ToString();
            usage?.Routed(request, model, sent.Target, clientStreams);
            if (usage is not null) usage.Fallbacks = sent.Fallbacks.Count;
            if (!countTokens) sessions.Record(request, decision.Duty, target, decision.EstimatedTokens);
            using var reply = sent.Reply;
            var pingInterval = TimeSpan.FromSeconds(snapshot.Config.PingIntervalSeconds);
            await replies.WriteAsync(context, reply, clientStreams, pingInterval);
            Log.Routed(logger, context.Request.Method, context.Request.Path, model, decision.Duty, decision.Reason.Text, target,
                sent.Fallbacks.Count == 0 ? "none" : string.Join(" | ", sent.Fallbacks),
                decision.EstimatedTokens?.ToString() ?? "-", context.Response.StatusCode,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception) when (grace is { IsOver: true } && !context.Response.HasStarted)
        {
            await FailAsync(context, ShutdownGrace.Error);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; cancelling RequestAborted already cancelled the upstream request.
            Log.ClientGone(logger, context.Request.Method, context.Request.Path);
        }
        catch (AnthropicErrorException ex)
        {
            await FailAsync(context, ex.Error);
        }
        catch (Exception ex)
        {
            Log.Unexpected(logger, ex, context.Request.Method, context.Request.Path);
            await FailAsync(context, AnthropicError.Api($"Switchboard failed unexpectedly: {ex.Message}"));
        }
    }

    private async Task FailAsync(HttpContext context, AnthropicError error)
    {
        Log.RequestFailed(logger, context.Request.Method, context.Request.Path, error.Status, error.Type, error.Message);
        if (context.Response.HasStarted)
        {
            // Headers are gone; the only honest signal left is to close the connection.
            context.Abort();
            return;
        }
        context.Response.Clear();
        await ErrorReplies.WriteAsync(context, error);
    }

    /// <summary>
    /// The route value <c>target</c> of <c>/{target}/v1/messages</c>: a URL that forces its target. Kestrel has decoded
    /// every escape but <c>%2F</c>, which it keeps so a segment stays one segment; a model name with a slash
    /// (<c>openrouter:qwen%2Fqwen3-coder</c>) gets its slash here, and nothing else is decoded again. (Kestrel turned
    /// <c>%25</c> into <c>%</c> already, so <c>%252F</c> arrives as <c>%2F</c> too: either way the slash is data, and the
    /// provider escapes the whole name as one segment of its own URL.)
    /// </summary>
    private static string? PinnedTarget(HttpContext context) =>
        context.Request.RouteValues.TryGetValue("target", out var value) && value is string target
            ? target.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)
            : null;

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context)
    {
        var length = context.Request.ContentLength;
        try
        {
            // Past the limit the rest is still read (and dropped), so the client is still there to get the 413.
            var body = await PooledBodyReader.ReadAsync(context.Request.Body, length, MaxBodyBytes, context.RequestAborted)
                       ?? throw TooLarge(length);
            if (body.Length == 0)
                throw new AnthropicErrorException(AnthropicError.InvalidRequest(
                    "The request body is empty; send a JSON Messages API request."));
            return body;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Beyond the drain limit Kestrel stops reading; the client may not see this answer.
            throw TooLarge(length);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // Kestrel's MinRequestBodyDataRate: the body came slower than 240 bytes/s after a 5 s grace.
            throw new AnthropicErrorException(new AnthropicError(StatusCodes.Status408RequestTimeout, ErrorTypes.InvalidRequest,
                "The request body arrived too slowly (under 240 bytes a second), so Switchboard stopped waiting for it. " +
                "Send the whole body at once; if a proxy sits in between, check that it does not hold the body back."), ex);
        }
        catch (BadHttpRequestException ex)
        {
            // Framing Kestrel refused mid-body: a broken chunked encoding, a body shorter than its Content-Length.
            throw new AnthropicErrorException(AnthropicError.InvalidRequest(
                $"The request body could not be read: {ex.Message.TrimEnd('.')}. Send it again with a correct Content-Length or chunked encoding."), ex);
        }
    }

    private static AnthropicErrorException TooLarge(long? length) => new(AnthropicError.TooLarge(
        $"The request is {(length is { } l ? $"{l / 1024 / 1024} MB" : "over the limit")}; " +
        $"the limit is {MaxBodyBytes / 1024 / 1024} MB. Remove large images or documents from the conversation."));

    /// <summary>A compressed body would only fail as "not valid JSON"; say what is actually wrong (RFC 9110: 415).</summary>
    private static void RefuseEncodedBody(HttpRequest request)
    {
        var encoding = request.Headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            throw new AnthropicErrorException(new AnthropicError(StatusCodes.Status415UnsupportedMediaType, ErrorTypes.InvalidRequest,
                $"Content-Encoding '{encoding}' is not supported; send the request body uncompressed."));
    }
}
