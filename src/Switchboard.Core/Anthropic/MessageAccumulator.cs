using System.Text;
using System.Text.Json;

namespace Switchboard.Anthropic;

/// <summary>
/// Builds the non-streaming reply from the same events a streaming client would get, so every provider only has to
/// produce a stream.
/// </summary>
public sealed class MessageAccumulator
{
    private readonly MessageResponse _message = new();
    private readonly Dictionary<int, BlockBuilder> _open = [];

    /// <summary>The error event the stream ended with, if it did.</summary>
    public ErrorDetail? Error { get; private set; }

    public void Apply(StreamEvent streamEvent)
    {
        switch (streamEvent.Type)
        {
            case StreamEventTypes.MessageStart when streamEvent.Message is { } start:
                _message.Id = start.Id;
                _message.Model = start.Model;
                _message.Role = start.Role;
                _message.Usage = start.Usage;
                _message.Extra = start.Extra;
                break;
            case StreamEventTypes.ContentBlockStart when streamEvent.ContentBlock is { } block:
                var builder = new BlockBuilder(block);
                _open[streamEvent.Index ?? _message.Content.Count] = builder;
                _message.Content.Add(block);
                break;
            case StreamEventTypes.ContentBlockDelta when streamEvent.Delta is { } delta:
                if (_open.TryGetValue(streamEvent.Index ?? -1, out var target)) target.Apply(delta);
                break;
            case StreamEventTypes.ContentBlockStop:
                if (_open.Remove(streamEvent.Index ?? -1, out var finished)) finished.Complete();
                break;
            case StreamEventTypes.MessageDelta:
                if (streamEvent.Delta is { } messageDelta)
                {
                    _message.StopReason = messageDelta.StopReason ?? _message.StopReason;
                    _message.StopSequence = messageDelta.StopSequence ?? _message.StopSequence;
                }
                if (streamEvent.Usage is { } usage)
                {
                    if (_message.Usage is null) _message.Usage = usage;
                    else _message.Usage.MergeFrom(usage);
                }
                break;
            case StreamEventTypes.Error:
                Error = streamEvent.Error;
                break;
        }
    }

    /// <summary>The reply as it stands; blocks a truncated stream left open are completed with what arrived.</summary>
    public MessageResponse Build()
    {
        foreach (var builder in _open.Values) builder.Complete();
        _open.Clear();
        return _message;
    }

    private sealed class BlockBuilder(ContentBlock block)
    {
        private StringBuilder? _text;
        private StringBuilder? _json;
        private StringBuilder? _thinking;

        public void Apply(StreamDelta delta)
        {
            switch (delta.Type)
            {
                case DeltaTypes.Text:
                    (_text ??= new StringBuilder(block.Text)).Append(delta.Text);
                    break;
                case DeltaTypes.InputJson:
                    (_json ??= new StringBuilder()).Append(delta.PartialJson);
                    break;
                case DeltaTypes.Thinking:
                    (_thinking ??= new StringBuilder(block.Thinking)).Append(delta.Thinking);
                    break;
                case DeltaTypes.Signature:
                    block.Signature = delta.Signature;
                    break;
                case DeltaTypes.Citations when delta.Citation is { } citation:
                    block.Citations = AppendCitation(block.Citations, citation);
                    break;
            }
        }

        public void Complete()
        {
            if (_text is not null) block.Text = _text.ToString();
            if (_thinking is not null) block.Thinking = _thinking.ToString();
            if (_json is not null) block.Input = ParseInput(_json.ToString());
        }

        private static JsonElement ParseInput(string json)
        {
            if (string.IsNullOrWhiteSpace(json)) return JsonValues.EmptyObject;
            try
            {
                using var document = JsonDocument.Parse(json);
                return document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Keep what the model said rather than failing the whole reply; tool-call healing lives elsewhere.
                return JsonSerializer.SerializeToElement(json, CoreJson.Default.String);
            }
        }

        private static JsonElement AppendCitation(JsonElement? existing, JsonElement citation)
        {
            var list = new List<JsonElement>();
            if (existing is { ValueKind: JsonValueKind.Array } array) list.AddRange(array.EnumerateArray());
            list.Add(citation);
            return JsonSerializer.SerializeToElement(list, CoreJson.Default.ListJsonElement);
        }

    }
}
