namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>Durable progress of incident work, with optimistic concurrency.</summary>
public interface IIncidentProgressStore
{
    Task<IncidentProgress?> GetAsync(string incidentId, string workId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the record when <see cref="IncidentProgress.Version"/> is null, otherwise replaces it if its version still
    /// matches. Returns the stored record with its new version, or null when another delivery changed (or created) it first.
    /// </summary>
    Task<IncidentProgress?> TrySaveAsync(IncidentProgress progress, CancellationToken cancellationToken);
}
