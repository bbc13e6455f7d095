using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Anthropic;
using Switchboard.Config;
using Switchboard.Dashboard;
using Switchboard.Forwarding;
using Switchboard.Hosting.Team;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Hosting;

/// <summary>
/// The HTTP server: Kestrel with a handful of endpoints. Built from a home folder (config, pid file) and the
/// run's overrides; tests start it on port 0 and talk to it over loopback like any client would.
/// </summary>
public sealed class SwitchboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly UpstreamClient _upstream;
    private readonly ServerOptions _options;
    private readonly LedgerServices _usage;
    private readonly Providers.Anthropic.SubscriptionToken _subscription;
    private readonly TeamServices? _team;
    private readonly TargetHealth _targets;
    private readonly TeamHealthProbe? _teamProbe;

    private SwitchboardServer(WebApplication app, UpstreamClient upstream, ServerOptions options, ConfigStore config, LedgerServices usage,
        Providers.Anthropic.SubscriptionToken subscription, TeamServices? team)
    {
        _team = team;
        _app = app;
        _upstream = upstream;
        _options = options;
        _usage = usage;
        _subscription = subscription;
        Config = config;
        _targets = new TargetHealth(options.Time);
        _teamProbe = team is null ? null : new TeamHealthProbe(team, config, () => Address);
    }

    public ConfigStore Config { get; }

    /// <summary>Whether discovery mode's swap uses a <c>claude setup-token</c> token (see <see cref="ServerOptions.SubscriptionEnvironmentToken"/>).</summary>
    public bool UsesSetupToken => _subscription.UsesEnvironmentToken;

    /// <summary>Team mode's shared state; null without a <c>team</c> section (the local path builds none of it).</summary>
    internal TeamServices? Team => _team;

    /// <summary>Which targets are cooling down on this replica (in team mode, on any replica).</summary>
    internal TargetHealth Targets => _targets;

    /// <summary>The ledger, metrics and live feed this server records to.</summary>
    internal LedgerServices Usage => _usage;

    /// <summary>The address actually bound, e.g. <c>http://127.0.0.1:11436</c>.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>
    /// Builds the server; throws <see cref="ConfigException"/> when the config cannot serve, and
    /// <see cref="Switchboard.Team.TeamStoreException"/> when its <c>team</c> section names no usable PostgreSQL or Redis.
    /// </summary>
    public static SwitchboardServer Create(ServerOptions options)
    {
        ConfigFile.CreateIfMissing(options.Home);
        // One logger factory for the config store (which must exist before Kestrel is configured) and the app.
        var loggerFactory = LoggerFactory.Create(logging =>
        {
            if (options.LoggerProvider is { } provider) logging.AddProvider(provider);
            else logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            });
            logging.SetMinimumLevel(options.LogLevel);
            logging.AddFilter("Microsoft", LogLevel.Warning);
            // The host logs a failed start (a port in use) with Kestrel's whole stack trace, then throws it to our caller,
            // which says it in one line.
            logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        });
        ConfigStore? configStore = null;
        var upstream = new UpstreamClient(proxy: new UpstreamProxy(() => configStore?.Loaded.Config.ProxyUrl), time: options.Time);
        var subscription = new Providers.Anthropic.SubscriptionToken(options.ClaudeConfigDirectory, options.Time, options.Keychain,
            options.SubscriptionEnvironmentToken);
        var registry = new ProviderRegistry(ProviderRegistry.CreateDefault(upstream, loggerFactory, subscription).Factories
            .Concat(options.ExtraProviders.Select(make => make(upstream))));
        configStore = new ConfigStore(options.Home.ConfigFile, registry,
            loggerFactory.CreateLogger("Switchboard.Config"), options.ApplyOverrides);
        var config = configStore.Current.Config;
        var clientKey = ClientKey.Of(config);
        if (ConfigValidator.ExposedWithoutKey(config, clientKey.Value))
            throw new ConfigException([new ConfigError(options.Home.ConfigFile, "$.host",
                $"refusing to bind '{config.Host}' without apiKey: anyone on the network could use your credentials" +
                (clientKey.IsEmpty ? $" ({clientKey.EmptyProblem})" : ""))]);

        // ASP.NET's default appsettings.json source would watch the content root, by default the working folder, and
        // all below it (inotify, recursively): a daemon started in ~ would wake on every file written anywhere in the
        // home folder. Switchboard has its own config; nothing of ASP.NET's is reloaded, and nothing outside its home.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = options.Home.Folder,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        var team = TeamServices.Create(config, options.Home.ConfigFile, loggerFactory, options.Time);
        TeamServices.Add(builder.Services, team);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MessagesEndpoint.DrainLimitBytes;
            // Clients sit on this machine or next to it and send their headers at once: a connection still dribbling
            // headers after 10 s (Kestrel's default is 30) is stuck or hostile. Slow bodies meet MinRequestBodyDataRate.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> listen = team?.Tls is { } tls ? tls.Apply : _ => { };
            if (config.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) kestrel.ListenLocalhost(config.Port, listen);
            else kestrel.Listen(IPAddress.Parse(config.Host.Trim('[', ']')), config.Port, listen);
        });

        var app = builder.Build();
        SwitchboardServer? server = null;
        var usage = LedgerServices.Create(options.Home, configStore, loggerFactory.CreateLogger("Switchboard.Ledger"), options.Time,
            team, () => TeamHealthProbe.ReplicaIdOf(server!.Address));
        server = new SwitchboardServer(app, upstream, options, configStore, usage, subscription, team);
        server.MapEndpoints();
        return server;
    }

    private void MapEndpoints()
    {
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard");
        var forwarder = new Forwarder(_targets, _options.Time, logger);
        var sessions = new SessionActivity();
        var grace = new ShutdownGrace(_app.Lifetime, () => TimeSpan.FromSeconds(Config.Current.Config.ShutdownGraceSeconds), _options.Time);
        var messages = new MessagesEndpoint(Config, new ReplyWriter(logger, _options.Time, grace), forwarder, logger, sessions, _team?.Policies, grace);
        var info = new InfoEndpoints(Config, () => Address.ToString().TrimEnd('/'), logger, UsesSetupToken,
            _teamProbe, _team?.Policies);

        // Any empty error answer (405, a route that does not exist) still leaves in Anthropic's error shape.
        _app.UseStatusCodePages(context => ErrorReplies.WriteAsync(context.HttpContext, new AnthropicError(
            context.HttpContext.Response.StatusCode,
            AnthropicError.TypeForStatus(context.HttpContext.Response.StatusCode),
            $"{context.HttpContext.Request.Method} {context.HttpContext.Request.Path} is not served here. Switchboard " +
            "serves POST /v1/messages, POST /v1/messages/count_tokens, GET /v1/models, GET /health, GET /metrics, " +
            "GET /ui (the dashboard) and GET /.")));
        RequestGuard.Use(_app, Config, logger, _team?.Authenticator);

        var trim = new IdleHeapTrim(_options.Time, logger);
        if (_options.TrimHeapWhenIdle) _ = trim.RunAsync(_app.Lifetime.ApplicationStopping);
        // Team mode admits each Messages request against its limits inside the recording, which its charge reads.
        var limits = _team is null ? null : new TeamLimitsGate(_team, Config, _usage.Recorder.Prices, _options.Time, logger);
        if (limits is not null)
        {
            _usage.Metrics.Extra = limits.WriteMetrics;
            _team!.AddCache(limits.Book);
        }
        var send = limits is null ? messages.HandleMessagesAsync : limits.Around(messages.HandleMessagesAsync);
        var handleMessages = trim.Around(UsageCapture.Recording(send, _usage.Recorder, _options.Time, _team is not null));
        var handleCountTokens = trim.Around(messages.HandleCountTokensAsync);
        _app.MapPost("/v1/messages", handleMessages);
        _app.MapPost("/v1/messages/count_tokens", handleCountTokens);
        // A URL that forces its target whatever the body says, as claude-code-proxy's <c>ANTHROPIC_BASE_URL=…/openai:model</c> does: /ollama-local:qwen3:8b/v1/messages.
        _app.MapPost("/{target}/v1/messages", handleMessages);
        _app.MapPost("/{target}/v1/messages/count_tokens", handleCountTokens);
        _app.MapGet("/v1/models", info.ModelsAsync);
        // What says only that Switchboard is here, and how it is doing, answers without the key (status needs it).
        _app.MapMethods("/api/hello", ["GET", "HEAD"], info.HelloAsync).WithMetadata(PublicEndpoint.Instance);
        _app.MapGet("/health", info.HealthAsync).WithMetadata(PublicEndpoint.Instance);
        _app.MapGet("/api/statusline", sessions.HandleAsync);
        if (limits is not null) _app.MapGet("/api/oauth/usage", limits.Usage.HandleAsync);
        _app.MapGet("/", info.RootAsync).WithMetadata(PublicEndpoint.Instance);
        new DashboardEndpoints(Config, _usage, _options.Time, _app.Lifetime.ApplicationStopping).Map(_app);
        Hosting.Team.Admin.TeamAdminEndpoints.Map(_app, _team, Config);
        if (_team is not null)
        {
            // The team section is read once, at start, as TeamServices reads it.
            var teamConfig = Config.Current.Config.Team!;
            new Hosting.Team.SignIn.OAuthEndpoints(_team, teamConfig, _options.Time, logger).Map(_app);
            new Hosting.Team.SignIn.DevicePage(_team, teamConfig, _options.Time, logger).Map(_app);
            new Hosting.Team.SignIn.TelemetryEndpoint(_team, _options.Time).Map(_app);
            _app.MapGet(Hosting.Team.SignIn.ManagedSettingsEndpoint.Path, new Hosting.Team.SignIn.ManagedSettingsEndpoint(_team).HandleAsync);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        // The vocabulary costs tens of MB: load it ahead only when routing will count every request.
        if (Router.CountsTokens(Config.Current.Config)) TokenCounter.Warm();
        // Team mode: the schema is brought up to date before the first request can reach this replica.
        if (_team is not null) await _team.StartAsync(cancellationToken);
        await _app.StartAsync(cancellationToken);
        var bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        Address = new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        if (_team is not null) await _team.ShareRoutingStateAsync(_targets, _teamProbe!.ReplicaId, Address, () => _teamProbe.ConfigHash, _options.Time);
        if (_options.WritePidFile) await DaemonPidFile.WriteAsync(_options.Home, Address, cancellationToken);
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard");
        Log.Listening(logger, InfoEndpoints.Version, Address.ToString().TrimEnd('/'), Config.File);
    }

    /// <summary>What SIGTERM does: tells the host to stop, which starts the shutdown grace of replies in flight.</summary>
    internal void BeginStopping() => _app.Lifetime.StopApplication();

    /// <summary>Runs until Ctrl+C or SIGTERM.</summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        await _app.WaitForShutdownAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _usage.DisposeAsync();
        if (_team is not null) await _team.DisposeAsync();
        _upstream.Dispose();
        if (_options.WritePidFile && File.Exists(_options.Home.PidFile)) File.Delete(_options.Home.PidFile);
    }
}
