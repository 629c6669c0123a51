using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;

namespace TokenFunctions.Cli.Commands;

/// <summary>The configured progress store, reporting every checkpoint the incident processor saves (the progress output).</summary>
internal sealed class ReportingProgressStore(IIncidentProgressStore inner, Action<IncidentProgress> saved) : IIncidentProgressStore
{
    public Task<IncidentProgress?> GetAsync(string incidentId, string workId, CancellationToken cancellationToken) =>
        inner.GetAsync(incidentId, workId, cancellationToken);

    public async Task<IncidentProgress?> TrySaveAsync(IncidentProgress progress, CancellationToken cancellationToken)
    {
        var stored = await inner.TrySaveAsync(progress, cancellationToken).ConfigureAwait(false);
        if (stored is not null)
        {
            saved(stored);
        }

        return stored;
    }
}
