using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Sanitizing;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Local or cloud Ollama. Native mode (the default) translates to <c>/api/chat</c>, which, unlike Ollama's own
/// Anthropic endpoint, can set the context size: without <c>num_ctx</c> Ollama silently truncates Claude Code's long
/// prompts. Anthropic mode relays to Ollama's <c>/v1/messages</c> for those who prefer it.
/// </summary>
internal sealed partial class OllamaProvider : IProvider, IModelCatalog
{
    public const string ApiNative = "native";
    public const string ApiAnthropic = "anthropic";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly OllamaEndpoint _endpoint;
    private readonly OllamaProviderOptions _options;
    private readonly IProvider? _anthropicMode;
    private readonly ILogger _logger;

    public OllamaProvider(string name, ProviderConfig config, UpstreamClient upstream, ILogger logger)
    {
        Name = name;
        _endpoint = new OllamaEndpoint(name, config, upstream);
        _logger = logger;
        Catalog = new OllamaModelCatalog(_endpoint);
        _options = OllamaProviderOptions.Of(config);
        if (_options.Api == ApiAnthropic)
        {
            var relay = Anthropic.AnthropicProviderOptions.RelayKey.With(config with { BaseUrl = _endpoint.BaseUrl }, Anthropic.AnthropicProvider.RelayEvents);
            _anthropicMode = new Anthropic.AnthropicProvider(name, relay, upstream, Anthropic.CredentialPolicy.OwnKeyAsBearer);
        }
    }

    public string Name { get; }
    public OllamaModelCatalog Catalog { get; }

    /// <summary>Neither of Ollama's APIs can force a tool; its Messages API knows Anthropic's ids but not mid-conversation system turns.</summary>
    public TargetProfile Profile(string model) => _anthropicMode is null
        ? TargetProfile.ForTranslation(Name, model) with { CanForceToolChoice = false }
        : new TargetProfile
        {
            Provider = Name, Model = model, Wire = TargetWire.AnthropicCompatible, ToolIds = ToolIdRule.Anthropic,
            AcceptsMidConversationSystem = false, CanForceToolChoice = false,
        };

    public async Task<ProviderReply> SendMessagesAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        if (_anthropicMode is not null) return await _anthropicMode.SendMessagesAsync(call, cancellationToken).ConfigureAwait(false);

        var request = call.Request;
        var model = request.Model!;
        var info = await Catalog.ShowAsync(model, cancellationToken).ConfigureAwait(false);
        var chat = OllamaRequestMapper.Map(request, model, info, Think(request, model, info), _options.NumCtx);

        using var message = _endpoint.Request(HttpMethod.Post, "/api/chat");
        message.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(chat, OllamaJson.Default.OllamaChatRequest))
        {
            Headers = { ContentType = Json },
        };
        var timeout = _endpoint.Config.Timeout;
        var response = await _endpoint.SendAsync(message, timeout, cancellationToken).ConfigureAwait(false);
        var mapper = new OllamaStreamMapper(Name, model, call.EstimatedInputTokens, repair => RepairLog.Repaired(_logger, Name, repair));
        return await EventStreamReply.TranslateAsync(response, Name, timeout, UpstreamFraming.Lines, mapper.MapAsync,
            refused => OllamaErrors.FromResponseAsync(refused, Name, model, timeout, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Installed models, each with the window its requests get (<see cref="OllamaRequestMapper.Window"/>, from
    /// <c>/api/show</c>, cached); none (not an error) while Ollama is down, so a listing never waits on it twice.
    /// </summary>
    public async Task<IReadOnlyList<ListedModel>> ListModelsAsync(
        IReadOnlyList<KeyValuePair<string, string>> clientHeaders, CancellationToken cancellationToken)
    {
        var names = await Catalog.ListAsync(cancellationToken).ConfigureAwait(false);
        if (_anthropicMode is not null) return names.Select(name => new ListedModel(name)).ToList();
        return await Task.WhenAll(names.Select(async name => new ListedModel(name,
            ContextWindow: OllamaRequestMapper.Window(await Catalog.ShowAsync(name, cancellationToken).ConfigureAwait(false), _options.NumCtx))))
            .ConfigureAwait(false);
    }

    public Task<ModelCapabilities> DescribeModelAsync(string model, CancellationToken cancellationToken) =>
        Catalog.ShowAsync(model, cancellationToken);

    /// <summary>Ollama cannot count without generating: counted here with a real tokenizer.</summary>
    public Task<ProviderReply> CountTokensAsync(ProviderCall call, CancellationToken cancellationToken) =>
        TokenCountReply.CountedLocally(call);

    /// <summary>
    /// <c>think</c> only for models that can; Claude Code sends adaptive thinking on nearly every request, so for
    /// other models the field is dropped, and only an explicit budget is refused, and only with strictThinking.
    /// </summary>
    private bool Think(MessagesRequest request, string model, ModelCapabilities info)
    {
        var type = request.Thinking?.Type;
        if (type is not ("enabled" or "adaptive")) return false;
        if (info.Thinking) return true;
        if (type == "enabled" && _options.StrictThinking == true)
            throw new AnthropicErrorException(AnthropicError.InvalidRequest(
                $"Model {model} in {Name} cannot think (its Ollama capabilities do not include thinking). Remove the thinking " +
                $"budget, pick a thinking model, or set strictThinking to false for {Name}."));
        return false;
    }
}
