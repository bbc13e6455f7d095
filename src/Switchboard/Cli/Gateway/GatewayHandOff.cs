using System.Diagnostics;
using Spectre.Console;
using Switchboard.Config;

namespace Switchboard.Cli.Gateway;

/// <summary>
/// <c>switchboard code</c> once <c>switchboard login</c> has signed in to a team gateway: Claude Code runs in its
/// gateway mode, the hand-off the pinned client names for a launcher (<c>CLAUDE_CODE_USE_GATEWAY=1</c> with
/// <c>ANTHROPIC_BASE_URL</c> and <c>ANTHROPIC_AUTH_TOKEN</c>), talking to the gateway directly; no local router runs.
/// In that mode the client cannot refresh a token it was handed, so the token is renewed here first once it is past
/// half its life, under a lock: two launches renewing with the same refresh token at once would look like a
/// replayed token to the gateway, which then ends the session.
/// </summary>
internal static class GatewayHandOff
{
    private static readonly string[] CompetingCredentials = ["ANTHROPIC_API_KEY", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_CUSTOM_HEADERS"];

    public static async Task<int> RunAsync(SwitchboardHome home, string claude, IReadOnlyList<string> claudeArgs, bool headless, IAnsiConsole console)
    {
        var credential = await FreshAsync(home, console);
        if (credential is null) return 2;
        console.MarkupLineInterpolated($"[grey]switchboard: through the gateway {credential.Url}{(credential.Email is { } email ? $" as {email}" : "")} (switchboard logout to stop)[/]");

        var info = new ProcessStartInfo(claude) { UseShellExecute = false };
        foreach (var arg in claudeArgs) info.ArgumentList.Add(arg);
        foreach (var name in CompetingCredentials) info.Environment.Remove(name);
        info.Environment["CLAUDE_CODE_USE_GATEWAY"] = "1";
        info.Environment["ANTHROPIC_BASE_URL"] = credential.Url;
        info.Environment["ANTHROPIC_AUTH_TOKEN"] = credential.AccessToken;
        // The client checks the gateway's certificate against what Node trusts; a pinned self-signed one is added to it.
        if (credential.PinnedCertificate is { } pinned)
            info.Environment["NODE_EXTRA_CA_CERTS"] = GatewayTrust.WriteTrustFile(home, pinned, Environment.GetEnvironmentVariable("NODE_EXTRA_CA_CERTS"));
        if (headless) info.RedirectStandardInput = HeadlessEnvironment.ShouldCloseStdin;
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        using var process = Process.Start(info)!;
        if (info.RedirectStandardInput) process.StandardInput.Close();
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>The saved credential, renewed when due; null (after saying what to do) when it can no longer be used.</summary>
    private static async Task<GatewayCredential?> FreshAsync(SwitchboardHome home, IAnsiConsole console)
    {
        await using var held = await LockAsync(home.GatewayCredentialFile + ".lock");
        // Read under the lock: another launch may have renewed it a moment ago.
        if (GatewayCredential.Load(home) is not { } credential)
        {
            console.MarkupLineInterpolated($"[red]switchboard: the saved gateway sign-in ({home.GatewayCredentialFile}) cannot be read: run switchboard login <url> again, or switchboard logout.[/]");
            return null;
        }
        var now = DateTimeOffset.UtcNow;
        if (!credential.WantsRefresh(now)) return credential;
        if (credential.RefreshToken is not { } refresh)
            return now < credential.ExpiresAt ? credential : SignInAgain(console, credential);
        using var http = GatewayTrust.Client(credential.PinnedFingerprint, TimeSpan.FromSeconds(30));
        var client = new GatewaySignInClient(http, new Uri(credential.Url), TimeProvider.System);
        try
        {
            var renewed = await client.RefreshAsync(await client.DiscoverAsync(CancellationToken.None), refresh, CancellationToken.None);
            if (renewed is null) return SignInAgain(console, credential);
            renewed = renewed with
            {
                Email = renewed.Email ?? credential.Email, PinnedFingerprint = credential.PinnedFingerprint, PinnedCertificate = credential.PinnedCertificate,
            };
            renewed.Save(home);
            return renewed;
        }
        catch (Exception ex) when (ex is GatewaySignInException or HttpRequestException or TaskCanceledException)
        {
            if (now < credential.ExpiresAt) return credential;
            console.MarkupLineInterpolated($"[red]switchboard: the gateway {credential.Url} could not renew your sign-in: {ex.Message}[/]");
            return null;
        }
    }

    private static GatewayCredential? SignInAgain(IAnsiConsole console, GatewayCredential credential)
    {
        console.MarkupLineInterpolated($"[red]switchboard: your sign-in to {credential.Url} has ended: run switchboard login {credential.Url} again.[/]");
        return null;
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose); }
            catch (IOException) when (attempt < 150)
            {
                await Task.Delay(100);
            }
        }
    }
}
