using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Sanitizing;
using Switchboard.Providers.OpenAI.Transformers;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Any chat-completions server: OpenAI, OpenRouter, NVIDIA NIM, Groq, DeepSeek, Together, vLLM, llama.cpp, LM Studio.
/// A request is translated as the preset and the model's transformers say, sent with the provider's own key only, and
/// the reply, streamed or whole, comes back as Anthropic events.
/// </summary>
internal sealed partial class OpenAIProvider : IProvider, IModelLister
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly OpenAIPreset _preset;
    private readonly OpenAIEndpoint _endpoint;
    private readonly List<ITransformer> _transformers;
    private readonly List<(string Pattern, List<ITransformer> Transformers)> _perModel;
    private readonly OutputTokenLimits _outputLimits = new();
    private readonly ILogger _logger;
    private readonly bool _modelsConfigured;

    public OpenAIProvider(string name, ProviderConfig config, UpstreamClient upstream, ILogger logger)
    {
        Name = name;
        _modelsConfigured = config.Models is { Count: > 0 };
        var options = OpenAIProviderOptions.Of(config);
        _preset = OpenAIPresets.Find(options.Preset) ?? throw new ArgumentException($"unknown preset '{options.Preset}'");
        _endpoint = new OpenAIEndpoint(name, config, _preset, upstream);
        _transformers = TransformerCatalog.BuildAll(options.Transformers);
        _perModel = (config.PerModel ?? []).Select(pair => (pair.Key, TransformerCatalog.BuildAll(pair.Value.Transformers))).ToList();
        _logger = logger;
    }

    public string Name { get; }

    public TargetProfile Profile(string model) => TargetProfile.ForTranslation(Name, model) with { ToolIds = ToolIdRule.OpenAI };

    public async Task<ProviderReply> SendMessagesAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        var model = request.Model!;
        var transformers = TransformersFor(model);
        var settings = OpenAISettings.For(_preset, model);
        foreach (var transformer in transformers) transformer.Configure(settings);

        var toolNames = new ToolNameMap();
        var chat = OpenAIRequestMapper.Map(request, settings, toolNames);
        var exchange = new OpenAIExchange(JsonSerializer.SerializeToNode(chat, OpenAIJson.Default.ChatRequest)!.AsObject());
        foreach (var transformer in transformers) transformer.Apply(exchange);
        _outputLimits.Apply(exchange.Body, model);

        // SendAsync answers with an accepted response only (it maps refusals itself, to retry one).
        var response = await SendAsync(exchange, model, cancellationToken).ConfigureAwait(false);
        // A server that ignores "stream": true answers with one JSON object; read whichever came.
        var streamed = exchange.Body["stream"]?.GetValue<bool>() == true &&
                       response.Content.Headers.ContentType?.MediaType != "application/json";
        var mapper = new OpenAIStreamMapper(Name, request, call.EstimatedInputTokens, settings, toolNames, repair => RepairLog.Repaired(_logger, Name, repair));
        return await EventStreamReply.TranslateAsync(response, Name, _endpoint.Timeout, streamed ? UpstreamFraming.Lines : UpstreamFraming.Whole,
            (stream, ct) => mapper.MapAsync(streamed
                ? OpenAIChunkReader.ReadStreamAsync(stream, Name, ct)
                : OpenAIChunkReader.ReadCompletionAsync(stream, Name, ct), ct), refused: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the body; a refusal that names the model's output limit is answered by one retry within it.</summary>
    private async Task<HttpResponseMessage> SendAsync(OpenAIExchange exchange, string model, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = _endpoint.Request(exchange.Headers);
            message.Content = new ByteArrayContent(Serialize(exchange)) { Headers = { ContentType = Json } };
            var response = await _endpoint.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return response;
            OpenAIErrors.Refusal refusal;
            using (response) refusal = await OpenAIErrors.ReadAsync(response, Name, _endpoint.Timeout, cancellationToken).ConfigureAwait(false);
            LogUpstreamError(_logger, Name, refusal.Status, refusal.Message);
            if (attempt == 1 && refusal.Status == 400 && _outputLimits.Learn(exchange.Body, model, refusal.Message))
            {
                LogOutputLimit(_logger, Name, model, exchange.Body["max_tokens"]?.GetValue<int>() ?? exchange.Body["max_completion_tokens"]!.GetValue<int>());
                continue;
            }
            throw OpenAIErrors.ToException(refusal, Name, model);
        }
    }

    /// <summary>
    /// The server's own list (<c>GET /models</c>: vLLM, llama.cpp, LM Studio, OpenAI, Groq, OpenRouter all answer it),
    /// unless the config names the provider's models: then that list is the one shown, as a curated one should be.
    /// </summary>
    public async Task<IReadOnlyList<ListedModel>> ListModelsAsync(
        IReadOnlyList<KeyValuePair<string, string>> clientHeaders, CancellationToken cancellationToken)
    {
        if (_modelsConfigured) return [];
        using var message = _endpoint.ModelsRequest();
        using var response = await _endpoint.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw OpenAIErrors.ToException(await OpenAIErrors.ReadAsync(response, Name, _endpoint.Timeout, cancellationToken).ConfigureAwait(false), Name, "(model list)");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var list = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!list.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) return [];
        // OpenRouter adds a display "name", "context_length" and "top_provider.max_completion_tokens"; vLLM adds
        // "max_model_len"; the others give the id alone.
        return data.EnumerateArray()
            .Where(model => model.ValueKind == JsonValueKind.Object && model.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            .Select(model => new ListedModel(model.GetProperty("id").GetString()!,
                model.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
                PositiveInt(model, "context_length") ?? PositiveInt(model, "max_model_len"),
                model.TryGetProperty("top_provider", out var top) && top.ValueKind == JsonValueKind.Object ? PositiveInt(top, "max_completion_tokens") : null))
            .ToList();
    }

    private static int? PositiveInt(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
            ? number
            : null;

    /// <summary>Chat-completions servers have no count endpoint: counted here with a real tokenizer.</summary>
    public Task<ProviderReply> CountTokensAsync(ProviderCall call, CancellationToken cancellationToken) =>
        TokenCountReply.CountedLocally(call);

    private IEnumerable<ITransformer> TransformersFor(string model) =>
        _transformers.Concat(_perModel.Where(entry => ModelSettings.Matches(entry.Pattern, model)).SelectMany(entry => entry.Transformers));

    private static byte[] Serialize(OpenAIExchange exchange)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Writing)) exchange.Body.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    [LoggerMessage(EventIds.UpstreamError, LogLevel.Warning, "{Provider} answered {Status}: {Message}")]
    private static partial void LogUpstreamError(ILogger logger, string provider, int status, string message);

    [LoggerMessage(EventIds.OutputLimitCapped, LogLevel.Information,
        "{Provider}: {Model} allows {Cap} output tokens; retrying within that and remembering it (a maxtoken transformer avoids the first refusal)")]
    private static partial void LogOutputLimit(ILogger logger, string provider, string model, int cap);
}
