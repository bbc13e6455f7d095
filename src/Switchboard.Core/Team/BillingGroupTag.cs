using System.Text.Json;
using Switchboard.Anthropic;

namespace Switchboard.Team;

/// <summary>
/// The billing group a request names (gateway protocol, "Billing group"): <c>"tags": {"&lt;tag&gt;": "&lt;group&gt;"}</c>
/// in the body, with the <see cref="Beta"/> value in <c>anthropic-beta</c>. The gateway takes both out before any
/// upstream (tags are the gateway's business, and a provider could refuse the beta), and charges the request to the
/// group when the caller is in it; the tag changes nothing else about the request.
/// </summary>
public static class BillingGroupTag
{
    public const string Field = "tags";
    public const string Beta = "request-tags-2026-08-21";

    /// <summary>
    /// <paramref name="request"/> without its <c>tags</c> (the same object when it has none), and the group named
    /// under <paramref name="tag"/> when it is one of <paramref name="callersGroups"/> (by name, case-insensitively).
    /// </summary>
    public static (MessagesRequest Request, string? Group) TakeOut(MessagesRequest request, string tag, IReadOnlyList<string> callersGroups)
    {
        if (request.Extra is not { } extra || !extra.TryGetValue(Field, out var tags)) return (request, null);
        string? group = null;
        if (tags.ValueKind == JsonValueKind.Object && tags.TryGetProperty(tag, out var named) && named.ValueKind == JsonValueKind.String)
            group = callersGroups.FirstOrDefault(name => string.Equals(name, named.GetString(), StringComparison.OrdinalIgnoreCase));
        var rest = new Dictionary<string, JsonElement>(extra);
        rest.Remove(Field);
        return (request with { Extra = rest.Count == 0 ? null : rest }, group);
    }

    /// <summary>An <c>anthropic-beta</c> header value without <see cref="Beta"/>; null when nothing is left.</summary>
    public static string? WithoutBeta(string value)
    {
        if (!value.Contains(Beta, StringComparison.Ordinal)) return value;
        var kept = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(beta => beta != Beta).ToList();
        return kept.Count == 0 ? null : string.Join(',', kept);
    }
}
