using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// One repair of a conversation for a target. <see cref="Applies"/> only looks; <see cref="Apply"/> changes a copy
/// of the request that the sanitizer made for it, so a request that needs nothing is never copied or re-serialized.
/// </summary>
internal interface IRequestRepair
{
    bool Applies(MessagesRequest request, TargetProfile target);

    /// <summary>Repairs <paramref name="request"/> in place and says what it did, with counts (<c>sanitized 2 tool ids</c>).</summary>
    string Apply(MessagesRequest request, TargetProfile target);
}
