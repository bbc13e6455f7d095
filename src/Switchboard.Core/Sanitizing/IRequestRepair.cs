using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// One repair of a conversation for a target. <see cref="Applies"/> only looks; <see cref="Apply"/> works on a deep
/// copy of the request that the sanitizer made for it, so a request that needs nothing is never copied or re-serialized.
/// </summary>
internal interface IRequestRepair
{
    bool Applies(MessagesRequest request, TargetProfile target);

    /// <summary>
    /// The repaired request, and what was done, with counts (<c>sanitized 2 tool ids</c>). Turns, blocks and tools of
    /// the sanitizer's copy are edited where they are (they belong to that copy alone); a request's own fields are
    /// set on a new value (<c>request with { … }</c>).
    /// </summary>
    Repaired Apply(MessagesRequest request, TargetProfile target);
}

/// <summary>What one repair made of a request, and the log line that says so.</summary>
internal readonly record struct Repaired(MessagesRequest Request, string Said);
