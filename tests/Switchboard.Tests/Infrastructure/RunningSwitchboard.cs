using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Switchboard.Hosting;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// The real Switchboard server on a free loopback port, with its own home folder and config, and an HTTP client
/// pointed at it. Log lines are captured so tests can check what was (and was not) logged; on the way out the log is
/// checked for an unhandled exception, so no test anywhere in the suite passes while the server hit one.
/// </summary>
public sealed class RunningSwitchboard : IAsyncDisposable
{
    private readonly SwitchboardServer _server;

    private RunningSwitchboard(SwitchboardServer server, TempHome home, CapturingLoggerProvider logs)
    {
        _server = server;
        Home = home;
        Logs = logs;
        // A replica serving https (team.tls) is trusted for exactly the certificate it serves, as a pinned client would.
        Client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None
                || (presented is not null && server.Team?.Tls?.Certificate is { } served && presented.GetRawCertData().AsSpan().SequenceEqual(served.RawData)) },
        }) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public TempHome Home { get; }
    public HttpClient Client { get; }
    public CapturingLoggerProvider Logs { get; }
    public Uri Address => _server.Address;
    public SwitchboardServer Server => _server;

    /// <summary>Starts with <paramref name="configJson"/> as the config file (the defaults when null).</summary>
    public static async Task<RunningSwitchboard> StartAsync(string? configJson = null, Func<ServerOptions, ServerOptions>? tune = null)
    {
        var home = new TempHome();
        if (configJson is not null) home.WriteConfig(configJson);
        var logs = new CapturingLoggerProvider();
        var options = new ServerOptions
        {
            Home = home.Home, Port = 0, LoggerProvider = logs, LogLevel = LogLevel.Debug,
            SubscriptionEnvironmentToken = null, // not whatever the environment running the tests holds
        };
        if (tune is not null) options = tune(options);
        var server = SwitchboardServer.Create(options);
        await server.StartAsync();
        return new RunningSwitchboard(server, home, logs);
    }

    /// <summary>A config with one Anthropic-format provider named <c>anthropic</c> at <paramref name="baseUrl"/>.</summary>
    public static string AnthropicConfig(string baseUrl, string extraProviderKeys = "", string extraTopLevel = "") => $$"""
        {
          {{extraTopLevel}}
          "defaultProvider": "anthropic",
          "providers": {
            "anthropic": { "type": "anthropic", "baseUrl": "{{baseUrl}}" {{extraProviderKeys}} }
          }
        }
        """;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
        Home.Dispose();
        if (!Logs.Unhandled.IsEmpty)
            throw new CrashException("the server logged an unhandled exception:\n" + string.Join("\n", Logs.Unhandled));
    }
}

public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>
    /// Exceptions nobody handled: the server's own "unexpected failure" (event 5) and anything ASP.NET Core logs as an
    /// error with an exception (an application exception that escaped to Kestrel, a connection that ended abnormally).
    /// </summary>
    public ConcurrentQueue<string> Unhandled { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    public string All => string.Join("\n", Lines);

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}";
            owner.Lines.Enqueue(line);
            var unhandled = exception is not null && logLevel >= LogLevel.Error
                && (eventId.Id == UnexpectedFailureEvent || category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
            if (unhandled) owner.Unhandled.Enqueue($"{category}: {line}\n{exception}");
        }
    }

    private const int UnexpectedFailureEvent = 5;
}
