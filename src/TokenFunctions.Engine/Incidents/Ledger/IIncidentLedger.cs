namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>
/// Durable "incident + action + token → done" records, so redeliveries and duplicate messages never act twice on a
/// finished token. Only final outcomes are recorded; transient failures and tokens needing a human are not, so a
/// redelivery or a resubmitted dead letter retries them.
/// </summary>
public interface IIncidentLedger
{
    Task<IReadOnlyList<LedgerEntry>> GetFinishedAsync(string incidentId, string action, CancellationToken cancellationToken);

    /// <summary>Idempotent: recording a token again overwrites its entry.</summary>
    Task RecordAsync(string incidentId, string action, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken);
}
