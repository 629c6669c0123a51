namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>
/// What a ledger entry records. Dry runs have their own action, so a dry run never makes the real run skip a token;
/// <c>disable</c> messages and <c>kill-switch</c> selectors share one, so a token disabled by either is skipped by the other.
/// </summary>
public static class LedgerActions
{
    public const string Disable = "disable";
    public const string DisableDryRun = "disable-dry-run";
    public const string Enable = "enable";
    public const string Rotate = "rotate";
}
