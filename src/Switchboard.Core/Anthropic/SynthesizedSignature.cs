namespace Switchboard.Anthropic;

/// <summary>
/// Signatures for thinking that no Anthropic model produced. Claude Code drops thinking without a signature, so
/// translated thinking carries one of these; the prefix lets a later request recognise them as not Anthropic's and
/// keep them away from Anthropic, which would reject them.
/// </summary>
internal static class SynthesizedSignature
{
    public const string Prefix = "switchboard-synthesized:";

    public static string For(string provider) => Prefix + provider;

    public static bool IsSynthesized(string? signature) =>
        signature is not null && signature.StartsWith(Prefix, StringComparison.Ordinal);
}
