using System.CommandLine;
using Spectre.Console;
using Switchboard.Cli.Gateway;
using Switchboard.Config;

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
        var command = new Command("login", "Sign in to a team gateway; switchboard code then runs Claude Code through it.") { url, noBrowser };
        command.SetAction((result, cancellationToken) =>
            RunAsync(SwitchboardHome.FromEnvironment(), result.GetValue(url)!, !result.GetValue(noBrowser), CliConsole.Out, cancellationToken));
        return command;
    }

    public static Command CreateLogout()
    {
        var command = new Command("logout", "Sign out of the team gateway: revoke the sign-in there and forget it here.");
        command.SetAction((_, cancellationToken) => LogoutAsync(SwitchboardHome.FromEnvironment(), CliConsole.Out, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(SwitchboardHome home, string address, bool openBrowser, IAnsiConsole console, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(address.TrimEnd('/'), UriKind.Absolute, out var gateway) || GatewaySignInClient.Problem(gateway) is { } problem)
        {
            console.MarkupLineInterpolated($"[red]switchboard: {(gateway is null ? $"'{address}' is not a URL such as https://switchboard.example.com." : GatewaySignInClient.Problem(gateway))}[/]");
            return 2;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.UserAgent.ParseAdd($"switchboard/{Hosting.InfoEndpoints.Version}");
        var client = new GatewaySignInClient(http, gateway, TimeProvider.System);
        try
        {
            var endpoints = await client.DiscoverAsync(cancellationToken);
            var device = await client.StartAsync(endpoints, cancellationToken);
            var link = device.VerificationUriComplete ?? device.VerificationUri;
            console.MarkupLineInterpolated($"To sign in to {gateway.GetLeftPart(UriPartial.Authority)}, open [bold]{link}[/]");
            console.MarkupLineInterpolated($"and check that it shows the code [bold]{device.UserCode}[/] (valid {device.ExpiresIn / 60} minutes).");
            if (openBrowser && UiCommand.Open(link)) console.MarkupLine("[grey](opened in your browser)[/]");
            var credential = await client.PollAsync(endpoints, device, cancellationToken);
            credential.Save(home);
            console.MarkupLineInterpolated($"Signed in to {credential.Url}{(credential.Email is { } email ? $" as {email}" : "")}. Run [bold]switchboard code[/] to use it.");
            return 0;
        }
        catch (Exception ex) when (ex is GatewaySignInException or HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            console.MarkupLineInterpolated($"[red]switchboard: sign-in to {gateway} failed: {ex.Message}[/]");
            return 1;
        }
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
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
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
