namespace TokenFunctions.Cli.Output;

/// <summary><c>demo</c>: the scan and kill, the sandbox's confirmation and the audit trail of the leaked token.</summary>
public sealed record DemoReport(string LeakedTokenId, string PlantedIn, ScanReport Scan, bool ConfirmedDisabled, AuditReport Audit);
