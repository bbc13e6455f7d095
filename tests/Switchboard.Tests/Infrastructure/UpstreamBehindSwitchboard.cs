using Microsoft.AspNetCore.Http;

namespace Switchboard.Tests.Infrastructure;

/// <summary>Base for test classes whose every test talks to one scripted upstream through one running Switchboard.</summary>
public abstract class UpstreamBehindSwitchboard : IAsyncLifetime
{
    protected ScriptedUpstream Upstream { get; private set; } = null!;
    protected RunningSwitchboard Switchboard { get; private set; } = null!;
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>How the upstream answers until a test scripts otherwise.</summary>
    protected virtual Func<HttpContext, RecordedRequest, Task>? DefaultScript => null;

    protected virtual string Config(string upstreamBaseUrl) => RunningSwitchboard.AnthropicConfig(upstreamBaseUrl);

    public async ValueTask InitializeAsync()
    {
        Upstream = await ScriptedUpstream.StartAsync(DefaultScript);
        Switchboard = await RunningSwitchboard.StartAsync(Config(Upstream.BaseUrl));
    }

    public virtual async ValueTask DisposeAsync()
    {
        await Switchboard.DisposeAsync();
        await Upstream.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
