using Azure.Data.Tables;
using TokenFunctions.Engine.Storage;

namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>The ledger and progress tables, created on first use (a failed creation is retried by the next call).</summary>
public sealed class IncidentTables
{
    private readonly TableCreationGate _ledgerCreation = new();
    private readonly TableCreationGate _progressCreation = new();

    public IncidentTables(TableServiceClient service, string ledgerTable, string progressTable)
    {
        ArgumentNullException.ThrowIfNull(service);
        Ledger = service.GetTableClient(ledgerTable);
        Progress = service.GetTableClient(progressTable);
    }

    public TableClient Ledger { get; }

    public TableClient Progress { get; }

    public async ValueTask EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await _ledgerCreation.EnsureCreatedAsync(Ledger, cancellationToken).ConfigureAwait(false);
        await _progressCreation.EnsureCreatedAsync(Progress, cancellationToken).ConfigureAwait(false);
    }
}
