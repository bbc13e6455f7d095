namespace Switchboard.Config;

/// <summary>
/// The folder that holds the config, the daemon's pid and log files: <c>$SWITCHBOARD_HOME</c>, else
/// <c>~/.switchboard</c> (<c>%USERPROFILE%\.switchboard</c> on Windows).
/// </summary>
public sealed record SwitchboardHome(string Folder)
{
    public string ConfigFile => Path.Combine(Folder, "config.json");
    public string SchemaFile => Path.Combine(Folder, "config.schema.json");
    public string PidFile => Path.Combine(Folder, "switchboard.pid");
    public string LogFile => Path.Combine(Folder, "switchboard.log");
    public string LedgerFile => Path.Combine(Folder, "usage.db");

    /// <summary>Team mode: the ledger records this replica has not yet stored in PostgreSQL (see <c>LedgerSpool</c>).</summary>
    public string TeamLedgerSpool => Path.Combine(Folder, "team-ledger.spool");

    /// <summary>The sign-in to a team gateway that <c>switchboard login</c> keeps (mode 0600) and <c>switchboard code</c> hands Claude Code.</summary>
    public string GatewayCredentialFile => Path.Combine(Folder, "gateway-credential.json");

    /// <summary>The gateway certificate pinned at sign-in (and any NODE_EXTRA_CA_CERTS of the user's), handed to Claude Code to trust.</summary>
    public string GatewayTrustFile => Path.Combine(Folder, "gateway-trust.pem");

    public static SwitchboardHome FromEnvironment()
    {
        var explicitHome = Environment.GetEnvironmentVariable("SWITCHBOARD_HOME");
        if (!string.IsNullOrWhiteSpace(explicitHome)) return new SwitchboardHome(Path.GetFullPath(explicitHome));
        var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new SwitchboardHome(Path.Combine(user, ".switchboard"));
    }
}
