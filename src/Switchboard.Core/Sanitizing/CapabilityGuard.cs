using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// What no repair can honestly give. A reply held to a JSON schema (<c>output_config.format</c>) cannot be promised by
/// a target that does not enforce one; dropping the schema would hand Claude Code free text where it expects JSON.
/// The answer is a 400 carrying <c>capability_rejected: structured_outputs_unsupported</c>, which Claude Code
/// recognises: it remembers the model cannot, and asks again without the schema.
/// </summary>
internal static class CapabilityGuard
{
    public const string Prefix = "capability_rejected: ";

    public static void Check(MessagesRequest request, TargetProfile target)
    {
        if (!target.HonorsStructuredOutputs && request.OutputConfig?.Format is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) })
            throw Rejected("structured_outputs_unsupported",
                $"{target.Model} in {target.Provider} cannot be held to output_config.format (a JSON schema for the reply)");
    }

    private static AnthropicErrorException Rejected(string capability, string why) =>
        new(AnthropicError.InvalidRequest($"{Prefix}{capability} ({why}); send the request again without it."));
}
