using Switchboard.Anthropic;

namespace Switchboard.Sanitizing;

/// <summary>
/// Claude Code sends the whole conversation every turn, so an image attached (or read by a tool) long ago is still
/// there when the conversation moves to a model that cannot see; that model answers with a 400 and the session is
/// stuck. For such a model every image, those nested in tool results included, becomes an <c>[image omitted]</c>
/// marker. Models with vision are not touched.
/// </summary>
internal sealed class ImageStripper : IRequestRepair
{
    public const string Marker = "[image omitted]";

    public static bool HasImages(MessagesRequest request) => History.AllBlocks(request).Any(IsImage);

    public bool Applies(MessagesRequest request, TargetProfile target) => !target.Vision && HasImages(request);

    public Repaired Apply(MessagesRequest request, TargetProfile target)
    {
        var stripped = 0;
        foreach (var message in History.Messages(request))
        {
            if (message.Content?.Blocks is not { } blocks) continue;
            stripped += Strip(blocks);
            foreach (var block in blocks) if (block.Content?.Blocks is { } nested) stripped += Strip(nested);
        }
        return new(request, $"stripped {History.Count(stripped, "image")} for {target.Model}");
    }

    private static int Strip(List<ContentBlock> blocks)
    {
        var stripped = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            if (!IsImage(blocks[i])) continue;
            var marker = History.Text(Marker);
            marker.CacheControl = blocks[i].CacheControl;
            blocks[i] = marker;
            stripped++;
        }
        return stripped;
    }

    private static bool IsImage(ContentBlock block) => block.Type == ContentBlockTypes.Image;
}
