using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// What no repair can honestly give. A reply held to a JSON schema (<c>output_config.format</c>) cannot be promised by
/// a target that does not enforce one; dropping the schema would hand Claude Code free text where it expects JSON.
/// The answer is a 400 carrying <c>capability_rejected: structured_outputs_unsupported</c>, which Claude Code
/// recognises: it remembers the model cannot, and asks again without the schema. Auto mode's <c>safeguards</c> (a safety
/// check the Anthropic API runs on the request) is the same case: a target that would ignore it answers a 400 naming
/// <c>safeguards</c>, on which Claude Code sends the request again without it and runs the check itself (gateway
/// protocol, "Messages").
/// </summary>
internal static class CapabilityGuard
{
    public const string Prefix = "capability_rejected: ";

    public static void Check(MessagesRequest request, TargetProfile target)
    {
        if (!target.HonorsStructuredOutputs && request.OutputConfig?.Format is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) })
            throw Rejected("structured_outputs_unsupported",
                $"{target.Model} in {target.Provider} cannot be held to output_config.format (a JSON schema for the reply)");
        if (!target.RunsSafeguards && request.Extra?.ContainsKey(SafeguardsField) == true)
            throw new AnthropicErrorException(AnthropicError.InvalidRequest(
                $"safeguards: {target.Model} in {target.Provider} does not run auto mode's safeguards check; send the request again without " +
                "safeguards and run the check yourself."));
    }

    public const string SafeguardsField = "safeguards";

    private static AnthropicErrorException Rejected(string capability, string why) =>
        new(AnthropicError.InvalidRequest($"{Prefix}{capability} ({why}); send the request again without it."));
}
