namespace Switchboard.Ledger;

/// <summary>The duty a request is recorded under until routing names one.</summary>
public static class Duties
{
    public const string Default = "default";
}
