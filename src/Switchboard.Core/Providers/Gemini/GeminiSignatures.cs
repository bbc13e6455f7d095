using Switchboard.Anthropic;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// How Gemini's per-call state survives a round trip through Claude Code, which keeps only Anthropic's fields.
/// A function call's <c>thoughtSignature</c> rides to Claude Code on an empty thinking block just before the
/// <c>tool_use</c> (thinking blocks with a signature are kept and sent back), and is put back on the call next turn.
/// The signature is marked as synthesized, so it is never shown to Anthropic as one of its own. Call ids Gemini did
/// not give are made up here and never sent to Gemini.
/// </summary>
internal static class GeminiSignatures
{
    private const string CarrierPrefix = SynthesizedSignature.Prefix + "gemini-call:";
    private const string MadeUpIdPrefix = "toolu_gm_";

    /// <summary>Gemini's documented placeholder for function calls whose signature was not kept.</summary>
    public const string SkipValidation = "skip_thought_signature_validator";

    public static string Carrier(string thoughtSignature) => CarrierPrefix + thoughtSignature;

    public static string? FromCarrier(string? signature) =>
        signature is not null && signature.StartsWith(CarrierPrefix, StringComparison.Ordinal) ? signature[CarrierPrefix.Length..] : null;

    /// <summary>Gemini's own id when it gave one; otherwise one that is stable for this reply and this call.</summary>
    public static string CallId(string? upstreamId, string responseId, int callIndex) =>
        upstreamId is { Length: > 0 } id ? id : $"{MadeUpIdPrefix}{responseId}_{callIndex}";

    /// <summary>The id to send back to Gemini: its own, never one made up here.</summary>
    public static string? UpstreamCallId(string? id) =>
        id is null || id.StartsWith(MadeUpIdPrefix, StringComparison.Ordinal) ? null : id;
}
