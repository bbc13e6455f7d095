using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Providers;

namespace Switchboard.Sanitizing;

/// <summary>
/// Makes a conversation that crossed providers acceptable to the provider about to get it, just before it is sent:
/// refuses what cannot be honoured (<see cref="CapabilityGuard"/>), then runs each repair that applies, in order, on a
/// copy of the request, logging one line per repair. A request that needs nothing comes back as the same call, so
/// an Anthropic pass-through still sends the client's bytes untouched.
/// </summary>
internal static partial class RequestSanitizer
{
    /// <summary>In order: ids before pairing (which compares them), system turns folded before blocks are checked.</summary>
    private static readonly IRequestRepair[] Repairs =
    [
        new ToolIdSanitizer(),
        new ToolPairing(),
        new ThinkingSanitizer(),
        new ImageStripper(),
        new SystemTurnFolder(),
        new FieldStripper(),
        new ToolChoiceRewriter(),
    ];

    /// <summary>The profile of <paramref name="provider"/> for this request's model, then <see cref="Prepare"/>.</summary>
    public static async Task<ProviderCall> PrepareAsync(
        ProviderCall call, IProvider provider, ProviderConfig config, ILogger logger, CancellationToken cancellationToken)
    {
        var target = await TargetProfiles.ForAsync(provider, config, call.Request, cancellationToken).ConfigureAwait(false);
        return Prepare(call, target, logger);
    }

    /// <summary>
    /// The call to send to <paramref name="target"/>: <paramref name="call"/> itself when nothing needs repair, else a
    /// copy with the repaired request, which then no longer equals the client's. <paramref name="call"/> and its request are never modified.
    /// </summary>
    public static ProviderCall Prepare(ProviderCall call, TargetProfile target, ILogger logger)
    {
        CapabilityGuard.Check(call.Request, target);
        MessagesRequest? repaired = null;
        foreach (var repair in Repairs)
        {
            if (!repair.Applies(repaired ?? call.Request, target)) continue;
            (repaired, var said) = repair.Apply(repaired ?? DeepCopy(call.Request), target);
            RepairLog.Repaired(logger, target.Provider, said);
        }
        return repaired is null ? call : call with { Request = repaired };
    }

    /// <summary>
    /// A copy down to every turn and block. Still needed with requests as values: the repairs edit turns, blocks
    /// and tools (<see cref="Message"/>, <see cref="ContentBlock"/>, <see cref="Tool"/>, mutable classes the reply side
    /// shares) where they stand, and those belong to the client's request until copied.
    /// </summary>
    private static MessagesRequest DeepCopy(MessagesRequest request) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(request, AnthropicJson.Default.MessagesRequest), AnthropicJson.Default.MessagesRequest)!;
}
