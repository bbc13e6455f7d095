using System.CommandLine;
using Spectre.Console;
using Switchboard.Cli.Gateway;
using Switchboard.Config;
using Switchboard.Team;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard login URL</c> signs in to a team gateway with its device flow (prints the code, opens the browser
/// when it can) and keeps the credential in the Switchboard home; <c>switchboard code</c> then runs Claude Code in
/// gateway mode through it. <c>switchboard logout</c> revokes it at the gateway and forgets it.
/// </summary>
internal static class LoginCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "The gateway's URL, e.g. https://switchboard.example.com." };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Print the sign-in link without opening a browser." };
        var fingerprint = new Option<string?>("--fingerprint")
        {
            Description = "The SHA-256 fingerprint of the gateway's certificate, from its admin, to trust a self-signed one without being asked.",
        };
        var command = new Command("login", "Sign in to a team gateway; switchboard code then runs Claude Code through it.") { url, noBrowser, fingerprint };
        command.SetAction((result, cancellationToken) =>
            RunAsync(SwitchboardHome.FromEnvironment(), result.GetValue(url)!, !result.GetValue(noBrowser), result.GetValue(fingerprint), CliConsole.Out,
                cancellationToken));
        return command;
    }

    public static Command CreateLogout()
    {
        var command = new Command("logout", "Sign out of the team gateway: revoke the sign-in there and forget it here.");
        command.SetAction((_, cancellationToken) => LogoutAsync(SwitchboardHome.FromEnvironment(), CliConsole.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(SwitchboardHome home, string address, bool openBrowser, string? fingerprint, IAnsiConsole console,
        CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(address.TrimEnd('/'), UriKind.Absolute, out var gateway) || GatewaySignInClient.Problem(gateway) is { } problem)
        {
            console.MarkupLineInterpolated($"[red]switchboard: {(gateway is null ? $"'{address}' is not a URL such as https://switchboard.example.com." : GatewaySignInClient.Problem(gateway))}[/]");
            return 2;
        }
        var expected = fingerprint is null ? null : CertificateFingerprint.Normalize(fingerprint);
        if (fingerprint is not null && expected is null)
        {
            console.MarkupLineInterpolated($"[red]switchboard: --fingerprint '{fingerprint}' is not a SHA-256 fingerprint (64 hex digits, colons optional).[/]");
            return 2;
        }
        try
        {
            var pin = gateway.Scheme == Uri.UriSchemeHttps ? await TrustAsync(home, gateway, expected, console, cancellationToken) : (null, null);
            if (pin is (null, not null)) return 1;
            using var http = GatewayTrust.Client(pin.Fingerprint, TimeSpan.FromSeconds(30));
            var client = new GatewaySignInClient(http, gateway, TimeProvider.System);
            var endpoints = await client.DiscoverAsync(cancellationToken);
            var device = await client.StartAsync(endpoints, cancellationToken);
            var link = device.VerificationUriComplete ?? device.VerificationUri;
            console.MarkupLineInterpolated($"To sign in to {gateway.GetLeftPart(UriPartial.Authority)}, open [bold]{link}[/]");
            console.MarkupLineInterpolated($"and check that it shows the code [bold]{device.UserCode}[/] (valid {device.ExpiresIn / 60} minutes).");
            if (openBrowser && UiCommand.Open(link)) console.MarkupLine("[grey](opened in your browser)[/]");
            var credential = await client.PollAsync(endpoints, device, cancellationToken) with
            {
                PinnedFingerprint = pin.Fingerprint, PinnedCertificate = pin.Certificate,
            };
            credential.Save(home);
            console.MarkupLineInterpolated($"Signed in to {credential.Url}{(credential.Email is { } email ? $" as {email}" : "")}. Run [bold]switchboard code[/] to use it.");
            return 0;
        }
        catch (Exception ex) when (ex is GatewaySignInException or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException
                                       or KeyNotFoundException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException or IOException)
        {
            console.MarkupLineInterpolated($"[red]switchboard: sign-in to {gateway} failed: {ex.Message}[/]");
            return 1;
        }
    }

    /// <summary>
    /// The pin for <paramref name="gateway"/>'s certificate: none when an authority here vouches for it (and it is the
    /// one <paramref name="expected"/> names, if given); its fingerprint and PEM once the person confirms it (the
    /// fingerprint given, asked at a terminal, or already pinned by an earlier sign-in); (null, reason) when refused.
    /// </summary>
    private static async Task<(string? Fingerprint, string? Certificate)> TrustAsync(SwitchboardHome home, Uri gateway, string? expected,
        IAnsiConsole console, CancellationToken cancellationToken)
    {
        var presented = await GatewayTrust.PresentedAsync(gateway, cancellationToken);
        var origin = gateway.GetLeftPart(UriPartial.Authority);
        if (expected is not null && expected != presented.Fingerprint)
            return Refuse(console, $"{origin} presents the certificate {presented.Fingerprint}, not the {expected} given: do not sign in until its admin explains why.");
        if (presented.TrustedHere) return (null, null);
        var pem = presented.Leaf.ExportCertificatePem();
        var earlier = GatewayCredential.Load(home) is { } saved && saved.Url == origin ? saved.PinnedFingerprint : null;
        if (expected is not null || earlier == presented.Fingerprint) return (presented.Fingerprint, pem);

        console.MarkupLineInterpolated($"{origin} presents a certificate no authority on this machine vouches for ({presented.Leaf.Subject}, valid until {presented.Leaf.NotAfter:yyyy-MM-dd}).");
        if (earlier is not null) console.MarkupLineInterpolated($"[yellow]It is not the one you trusted before ({earlier}): the gateway's certificate was replaced, or someone is in the way.[/]");
        console.MarkupLineInterpolated($"Its SHA-256 fingerprint is [bold]{presented.Fingerprint}[/]");
        if (console.Profile.Capabilities.Interactive && !Console.IsInputRedirected)
            return console.Confirm("Is that the fingerprint your gateway's admin gave you?", defaultValue: false)
                ? (presented.Fingerprint, pem) : Refuse(console, "Not signed in: the certificate was not trusted.");
        return Refuse(console, $"If your gateway's admin confirms that fingerprint, run switchboard login {origin} --fingerprint {presented.Fingerprint}");
    }

    private static (string?, string?) Refuse(IAnsiConsole console, string why)
    {
        console.MarkupLineInterpolated($"[red]switchboard: {why}[/]");
        return (null, why);
    }

    public static async Task<int> LogoutAsync(SwitchboardHome home, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (GatewayCredential.Load(home) is not { } credential)
        {
            // An unreadable file is forgotten too: it would keep switchboard code from starting.
            if (File.Exists(home.GatewayCredentialFile)) GatewayCredential.Delete(home);
            console.MarkupLine("Not signed in to a gateway.");
            return 0;
        }
        using var http = GatewayTrust.Client(credential.PinnedFingerprint, TimeSpan.FromSeconds(15));
        var client = new GatewaySignInClient(http, new Uri(credential.Url), TimeProvider.System);
        var revoked = false;
        try { revoked = await client.RevokeAsync(await client.DiscoverAsync(cancellationToken), credential, cancellationToken); }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            console.MarkupLineInterpolated($"[yellow]switchboard: the gateway did not answer ({ex.Message}); the sign-in is forgotten here and ends when it expires.[/]");
        }
        GatewayCredential.Delete(home);
        console.MarkupLineInterpolated($"Signed out of {credential.Url}{(revoked ? " (revoked there)" : "")}.");
        return 0;
    }
}
