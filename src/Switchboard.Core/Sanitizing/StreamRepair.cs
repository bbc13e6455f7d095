using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Providers;

namespace Switchboard.Sanitizing;

/// <summary>
/// Every event stream a provider answers with is made well-formed (<see cref="StreamShape"/>) before the client sees
/// it, and counted: what was mended is logged in one line, and when the upstream fails mid-stream the usage seen so far
/// is logged with the failure (which still reaches the client as an <c>error</c> event). Relayed bytes (<see cref="UpstreamHttpReply"/>: Anthropic's own streams) are not touched.
/// </summary>
internal sealed partial class StreamRepair
{
    private readonly StreamShape _shape;
    private readonly string _provider;
    private readonly ILogger _logger;

    public StreamRepair(string provider, string? model, ILogger logger)
    {
        _shape = new StreamShape(provider, model);
        _provider = provider;
        _logger = logger;
    }

    public async IAsyncEnumerable<StreamEvent> Wrap(
        IAsyncEnumerable<StreamEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var upstream = events.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await upstream.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (UpstreamFault.IsUpstream(ex, cancellationToken))
                {
                    // However the provider's stream failed (a reset, bytes that do not parse, a mapper that choked), the
                    // client is told which provider failed and how, as an Anthropic error, never as an exception.
                    var fault = UpstreamFault.From(ex, _provider);
                    LogBrokeOff(_logger, _provider, _shape.Usage.InputTokens ?? 0, _shape.Usage.OutputTokens ?? 0, fault.Error.Message);
                    throw fault;
                }
                if (!more) break;
                foreach (var e in _shape.Accept(upstream.Current)) yield return e;
                // The reply is complete with its last event: nothing the upstream sends or withholds after it (a
                // connection it never closes) may keep the client waiting. Leaving the loop releases the upstream.
                if (_shape.Ended) yield break;
            }
            foreach (var e in _shape.Finish()) yield return e;
        }
        finally
        {
            if (_shape.Repairs.Any) LogRepaired(_logger, _provider, _shape.Repairs.ToString());
        }
    }

    [LoggerMessage(EventIds.StreamRepaired, LogLevel.Information, "{Provider}: repaired its stream: {Repairs}")]
    private static partial void LogRepaired(ILogger logger, string provider, string repairs);

    [LoggerMessage(EventIds.StreamBrokeOff, LogLevel.Warning,
        "{Provider}: the stream failed after {InputTokens} input and {OutputTokens} output tokens (usage kept): {Reason}")]
    private static partial void LogBrokeOff(ILogger logger, string provider, int inputTokens, int outputTokens, string reason);
}
