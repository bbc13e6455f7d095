using System.Net;
using System.Text;

namespace Switchboard.Bench;

/// <summary>
/// A fast OpenAI-compatible model for the soak (a translating provider, so Switchboard maps every event). The model
/// name says what a request gets: <c>held</c> streams its first chunks and waits for <see cref="Release"/>;
/// <c>stall</c> streams its first chunks and never goes on; anything else the whole answer at once, streamed or not.
/// </summary>
internal sealed class SoakUpstream : IAsyncDisposable
{
    private static readonly byte[] Head = Data("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"the whole "},"finish_reason":null}]}""");
    private static readonly byte[] Tail = [
        .. Data("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"answer"},"finish_reason":null}]}"""),
        .. Data("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"""),
        .. Data("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}"""),
        .. Data("[DONE]"),
    ];
    private static readonly byte[] Whole = Encoding.UTF8.GetBytes(
        """{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"the whole answer"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}""");

    private readonly WebApplication _app;
    private TaskCompletionSource _gate = NewGate();

    private SoakUpstream(WebApplication app) => _app = app;

    public int Port => new Uri(_app.Urls.First()).Port;

    public static async Task<SoakUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var upstream = new SoakUpstream(app);
        app.MapPost("/v1/chat/completions", upstream.AnswerAsync);
        await app.StartAsync();
        return upstream;
    }

    /// <summary>Lets every held stream go on; later ones are held again.</summary>
    public void Release() => Interlocked.Exchange(ref _gate, NewGate()).TrySetResult();

    private async Task AnswerAsync(HttpContext context)
    {
        var head = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        if (!head.Contains("\"stream\":true", StringComparison.Ordinal))
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Whole);
            return;
        }
        context.Response.ContentType = "text/event-stream";
        await context.Response.Body.WriteAsync(Head);
        if (head.Contains("\"model\":\"held", StringComparison.Ordinal))
        {
            await context.Response.Body.FlushAsync();
            await _gate.Task.WaitAsync(context.RequestAborted);
        }
        else if (head.Contains("\"model\":\"stall", StringComparison.Ordinal))
        {
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        await context.Response.Body.WriteAsync(Tail);
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static byte[] Data(string json) => Encoding.UTF8.GetBytes($"data: {json}\n\n");

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync(TimeSpan.FromSeconds(2));
        await _app.DisposeAsync();
    }
}
