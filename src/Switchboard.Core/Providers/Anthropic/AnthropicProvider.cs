using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Sanitizing;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Pass-through to an Anthropic-format server. The client's credentials (API key or a subscription's OAuth bearer),
/// <c>anthropic-version</c>, every <c>anthropic-beta</c> value, the query string and the body go up as sent; the reply
/// comes back as it arrives, errors included, because Claude Code matches on Anthropic's exact wording.
/// </summary>
internal sealed class AnthropicProvider(
    string name, ProviderConfig config, UpstreamClient upstream, CredentialPolicy credentials = CredentialPolicy.ClientOrOwnKey,
    SubscriptionToken? subscription = null) : IProvider, IModelLister
{
    public const string RelayBytes = "bytes";
    public const string RelayEvents = "events";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly AnthropicProviderOptions _options = AnthropicProviderOptions.Of(config);

    public string Name => name;

    public TargetProfile Profile(string model) => TargetProfile.ForAnthropic(name, model);

    public Task<ProviderReply> SendMessagesAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        if (_options.Relay != RelayEvents) return SendAsync("/v1/messages", call, parseEvents: false, cancellationToken);

        // In events mode every reply goes through the event pipeline: ask for a stream even when the client did
        // not, and let the host build the complete message from it.
        var streamed = call with { Request = call.Request with { Stream = true } };
        return SendAsync("/v1/messages", streamed, parseEvents: true, cancellationToken);
    }

    public Task<ProviderReply> CountTokensAsync(ProviderCall call, CancellationToken cancellationToken) =>
        SendAsync("/v1/messages/count_tokens", call, parseEvents: false, cancellationToken);

    /// <summary>
    /// Anthropic's own model list, asked with the same credential a message would carry. Nothing without one: an
    /// unauthenticated ask only earns a 401, and Claude Code gives discovery three seconds in all.
    /// </summary>
    public async Task<IReadOnlyList<ListedModel>> ListModelsAsync(
        IReadOnlyList<KeyValuePair<string, string>> clientHeaders, CancellationToken cancellationToken)
    {
        if (!AnthropicHeaders.HasCredential(clientHeaders, config, credentials)) return [];
        using var request = new HttpRequestMessage(HttpMethod.Get, BuildUri("/v1/models", "?limit=1000"));
        AnthropicHeaders.Apply(clientHeaders, request, config, credentials, subscription);
        if (!request.Headers.Contains(AnthropicHeaders.Version)) request.Headers.Add(AnthropicHeaders.Version, AnthropicHeaders.DefaultVersion);
        using var response = await upstream.SendAsync(name, request, config.Timeout, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new AnthropicErrorException(new AnthropicError((int)response.StatusCode,
                AnthropicError.TypeForStatus((int)response.StatusCode),
                $"Provider '{name}' would not list its models (HTTP {(int)response.StatusCode})."));
        var list = await response.Content.ReadFromJsonAsync(AnthropicJson.Default.UpstreamModelList, cancellationToken).ConfigureAwait(false);
        return (list?.Data ?? [])
            .Where(model => !string.IsNullOrWhiteSpace(model?.Id))
            .Select(model => new ListedModel(model!.Id!, string.IsNullOrWhiteSpace(model.DisplayName) ? null : model.DisplayName,
                model.MaxInputTokens, model.MaxTokens))
            .ToList();
    }

    private async Task<ProviderReply> SendAsync(
        string path, ProviderCall call, bool parseEvents, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, BuildUri(path, call.QueryString));
        var sent = call.RequestChanged
            ? JsonSerializer.SerializeToUtf8Bytes(call.Request, AnthropicJson.Relaxed.MessagesRequest)
            : call.OriginalBody;
        request.Content = new ReadOnlyMemoryContent(sent) { Headers = { ContentType = Json } };
        AnthropicHeaders.Apply(call.ClientHeaders, request, config, credentials, subscription);

        var response = await upstream.SendAsync(name, request, config.Timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            var isEventStream = IsEventStream(response);
            var body = await UpstreamBody.OpenAsync(response, name, config.Timeout,
                isEventStream ? UpstreamFraming.Lines : UpstreamFraming.Whole, cancellationToken).ConfigureAwait(false);
            if (!parseEvents || !response.IsSuccessStatusCode) return new UpstreamHttpReply(response, body);
            return new EventStreamReply(isEventStream
                ? ReadEvents(response, body, cancellationToken)
                : ReadWholeMessage(response, body, cancellationToken));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async IAsyncEnumerable<StreamEvent> ReadEvents(
        HttpResponseMessage response, Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (response)
        await using (body)
        {
            await foreach (var streamEvent in SseEventReader.ReadAsync(body, cancellationToken, $"Provider '{name}'").ConfigureAwait(false))
                yield return streamEvent;
        }
    }

    /// <summary>
    /// A success that is not a stream, where a stream was asked for: a server that ignores <c>stream</c> answers with
    /// the whole message, which is replayed as its events; anything else there is the upstream's fault.
    /// </summary>
    private async IAsyncEnumerable<StreamEvent> ReadWholeMessage(
        HttpResponseMessage response, UpstreamBody body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using (response)
        await using (body)
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is not null && !mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                var text = await UpstreamErrorBody.ReadAsync(body, mediaType, cancellationToken).ConfigureAwait(false);
                throw UpstreamFault.Broken(name, $"answered {(int)response.StatusCode} with {mediaType} instead of a Messages reply: {text.Summary}");
            }
            var message = await JsonSerializer.DeserializeAsync(body, AnthropicJson.Default.MessageResponse, cancellationToken).ConfigureAwait(false);
            if (message is not { Type: "message" })
                throw UpstreamFault.Broken(name, $"answered {(int)response.StatusCode} with JSON that is not a Messages reply (type '{message?.Type}')");
            foreach (var e in MessageEvents.From(message)) yield return e;
        }
    }

    private Uri BuildUri(string path, string query)
    {
        var baseUrl = EnvExpander.Expand(config.BaseUrl ?? AnthropicProviderFactory.DefaultBaseUrl).TrimEnd('/');
        // A baseUrl that already ends in /v1 (as some gateways document theirs) must not become /v1/v1.
        if (baseUrl.EndsWith("/v1", StringComparison.Ordinal)) baseUrl = baseUrl[..^3];
        return new Uri(baseUrl + path + query);
    }

    private static bool IsEventStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "text/event-stream";
}
