using System.Text.Json;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Sanitizing;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Amazon Bedrock. <c>converse</c> (the default) speaks Converse, which every Bedrock model understands;
/// <c>anthropic</c> sends Claude models the Anthropic Messages body through InvokeModel, keeping everything. Either
/// way the upstream is asked for a stream; a non-streaming client gets the message built from it.
/// </summary>
internal sealed class BedrockProvider(string name, ProviderConfig config, UpstreamClient upstream) : IProvider
{
    public const string ApiConverse = "converse";
    public const string ApiAnthropic = "anthropic";

    private readonly BedrockEndpoint _endpoint = new(name, config, upstream);
    private readonly bool _fidelity = BedrockProviderOptions.Of(config).Api == ApiAnthropic;

    public string Name => name;

    public TargetProfile Profile(string model) => _fidelity
        // InvokeModel takes the Anthropic body, but not the system turns of Anthropic's newer betas.
        // Nor auto mode's safeguards, which the Anthropic API runs and Bedrock does not.
        ? TargetProfile.ForAnthropic(name, model) with { AcceptsMidConversationSystem = false, RunsSafeguards = false }
        : TargetProfile.ForTranslation(name, model) with { ToolIds = ToolIdRule.Anthropic };

    public async Task<ProviderReply> SendMessagesAsync(ProviderCall call, CancellationToken cancellationToken)
    {
        var model = call.Request.Model!;
        var fidelity = _fidelity;
        var body = fidelity
            ? InvokeModelMapper.Body(call)
            : JsonSerializer.SerializeToUtf8Bytes(ConverseRequestMapper.Map(call.Request, model), BedrockJson.Default.ConverseRequest);
        using var request = _endpoint.Request(model, fidelity ? "invoke-with-response-stream" : "converse-stream", body);
        var response = await _endpoint.SendAsync(request, body, cancellationToken).ConfigureAwait(false);
        Func<Stream, CancellationToken, IAsyncEnumerable<StreamEvent>> map = fidelity
            ? (s, ct) => InvokeModelMapper.MapAsync(s, name, model, ct)
            : new ConverseStreamMapper(name, model, call.EstimatedInputTokens).MapStreamAsync;
        return await EventStreamReply.TranslateAsync(response, name, config.Timeout, UpstreamFraming.Frames, map,
            refused => BedrockErrors.FromResponseAsync(refused, name, model, config.Timeout, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Bedrock's CountTokens is not in every region or for every model: counted here with a real tokenizer.</summary>
    public Task<ProviderReply> CountTokensAsync(ProviderCall call, CancellationToken cancellationToken) =>
        TokenCountReply.CountedLocally(call);
}
