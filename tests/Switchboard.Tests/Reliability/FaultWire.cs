using System.Text;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Reliability;

/// <summary>
/// What one provider's wire format looks like to <see cref="FaultyUpstream"/>: a good reply, streamed piece by piece
/// or whole, and the shapes its failures take (a piece that does not parse, a line with no end, an error body).
/// Every good reply says <see cref="Answer"/>.
/// </summary>
public abstract class FaultWire
{
    public const string Answer = "the whole answer";

    /// <summary>How many pieces of a stream go out before a mid-body fault; never the piece that ends it.</summary>
    public virtual int PrefixLength => 2;

    public abstract string StreamContentType { get; }
    public abstract bool IsStream(RawRequest request);
    public abstract IReadOnlyList<byte[]> Stream();
    public abstract byte[] Whole();
    public abstract byte[] MalformedPiece { get; }
    public virtual byte[] MalformedWhole => "<<< this is not JSON >>>"u8.ToArray();
    public abstract byte[] ErrorJson(int status);
    public virtual string ErrorHeaders(int status) => "";

    /// <summary>A line longer than any the router may hold (33 MB with no line end).</summary>
    public virtual byte[] HugePiece(bool streaming) =>
        [.. streaming ? "data: "u8 : "{\"id\":\""u8, .. Enumerable.Repeat((byte)'x', 33 * 1024 * 1024)];

    /// <summary>The answer to a request that is not the one under test (Ollama's model lookups).</summary>
    public virtual (int Status, byte[] Body)? Helper(RawRequest request) => null;

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
    protected static bool AsksToStream(RawRequest request) => request.BodyText.Contains("\"stream\":true", StringComparison.Ordinal);
}

public sealed class AnthropicFaultWire : FaultWire
{
    public override string StreamContentType => "text/event-stream";
    public override bool IsStream(RawRequest request) => AsksToStream(request);

    public override IReadOnlyList<byte[]> Stream() =>
        AnthropicWire.TextStream("claude-fault", Answer).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => Bytes(e + "\n\n")).ToList();

    public override byte[] Whole() => Bytes(AnthropicWire.TextMessage("claude-fault", Answer));

    public override byte[] MalformedPiece =>
        Bytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_de\n\n");

    public override byte[] ErrorJson(int status) =>
        Bytes(AnthropicWire.Error(global::Switchboard.Anthropic.AnthropicError.TypeForStatus(status), $"anthropic-says-{status}"));
}

public sealed class OpenAIFaultWire : FaultWire
{
    public override string StreamContentType => "text/event-stream";
    public override bool IsStream(RawRequest request) => AsksToStream(request);

    public override IReadOnlyList<byte[]> Stream() =>
        new[] { ScriptedOpenAI.Role(), ScriptedOpenAI.Text("the whole "), ScriptedOpenAI.Text("answer"), ScriptedOpenAI.Finish("stop"), ScriptedOpenAI.Usage(), ScriptedOpenAI.DoneLine }
            .Select(data => Bytes($"data: {data}\n\n")).ToList();

    public override byte[] Whole() => Bytes($$$"""
        {"id":"chatcmpl-f","object":"chat.completion","created":1764000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"{{{Answer}}}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}
        """);

    public override byte[] MalformedPiece => "data: {\"id\":\"chatcmpl-f\",\"choices\":[{\n\n"u8.ToArray();

    public override byte[] ErrorJson(int status) => Bytes($$$"""{"error":{"message":"openai-says-{{{status}}}","type":"server_error"}}""");
}

public sealed class OllamaFaultWire : FaultWire
{
    public override string StreamContentType => "application/x-ndjson";
    public override bool IsStream(RawRequest request) => AsksToStream(request);

    public override IReadOnlyList<byte[]> Stream() =>
        new[] { ScriptedOllama.Text("the "), ScriptedOllama.Text("whole "), ScriptedOllama.Text("answer"), ScriptedOllama.Done() }
            .Select(line => Bytes(line + "\n")).ToList();

    public override byte[] Whole() => Bytes($$$"""
        {"model":"m","message":{"role":"assistant","content":"{{{Answer}}}"},"done":true,"done_reason":"stop","prompt_eval_count":9,"eval_count":3}
        """);

    public override byte[] MalformedPiece => "{\"model\":\"m\",\"message\":{\n"u8.ToArray();
    public override byte[] ErrorJson(int status) => Bytes($$$"""{"error":"ollama-says-{{{status}}}"}""");

    public override (int Status, byte[] Body)? Helper(RawRequest request) => request.Path switch
    {
        "/api/show" => (404, Bytes("""{"error":"model not found"}""")),
        "/api/tags" => (200, Bytes("""{"models":[]}""")),
        _ => null,
    };
}

public sealed class GeminiFaultWire : FaultWire
{
    public override string StreamContentType => "text/event-stream";
    public override bool IsStream(RawRequest request) => request.Path.Contains(":streamGenerateContent", StringComparison.Ordinal);

    public override IReadOnlyList<byte[]> Stream() =>
        new[] { ScriptedGemini.Text("the whole "), ScriptedGemini.Text("answer"), ScriptedGemini.Finish() }
            .Select(data => Bytes($"data: {data}\r\n\r\n")).ToList();

    public override byte[] Whole() => Bytes($$$"""
        {"candidates":[{"content":{"role":"model","parts":[{"text":"{{{Answer}}}"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":3,"totalTokenCount":12}}
        """);

    public override byte[] MalformedPiece => "data: {\"candidates\": [\r\n\r\n"u8.ToArray();

    public override byte[] ErrorJson(int status)
    {
        var name = status switch { 429 => "RESOURCE_EXHAUSTED", 503 => "UNAVAILABLE", _ => "INTERNAL" };
        return Bytes($$$"""{"error":{"code":{{{status}}},"message":"gemini-says-{{{status}}}","status":"{{{name}}}"}}""");
    }
}

public sealed class BedrockFaultWire : FaultWire
{
    public override string StreamContentType => "application/vnd.amazon.eventstream";

    /// <summary>Switchboard always asks Converse for a stream (converse-stream), whatever the client asked.</summary>
    public override bool IsStream(RawRequest request) => true;

    public override IReadOnlyList<byte[]> Stream() =>
        new[]
        {
            ScriptedBedrock.Event("messageStart", """{"role":"assistant"}"""), ScriptedBedrock.Text("the whole "), ScriptedBedrock.Text("answer"),
            ScriptedBedrock.BlockStop(0), ScriptedBedrock.MessageStop("end_turn"), ScriptedBedrock.Metadata(9, 3),
        }.Select(message => message.ToByteArray()).ToList();

    public override byte[] Whole() => [.. Stream().SelectMany(piece => piece)];

    /// <summary>A frame whose checksum does not match its bytes.</summary>
    public override byte[] MalformedPiece
    {
        get
        {
            var frame = ScriptedBedrock.Text(" garbled").ToByteArray();
            frame[^6] ^= 0x20;
            return frame;
        }
    }

    /// <summary>A frame that claims 20 MB (AWS caps one at 16 MB).</summary>
    public override byte[] HugePiece(bool streaming) => [0x01, 0x40, 0x00, 0x00, .. new byte[64]];

    public override byte[] ErrorJson(int status) => Bytes($$$"""{"message":"bedrock-says-{{{status}}}"}""");

    public override string ErrorHeaders(int status) => status switch
    {
        429 => "x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/\r\n",
        503 => "x-amzn-ErrorType: ServiceUnavailableException:http://internal.amazon.com/coral/com.amazon.bedrock/\r\n",
        500 => "x-amzn-ErrorType: InternalServerException:http://internal.amazon.com/coral/com.amazon.bedrock/\r\n",
        _ => "",
    };
}
