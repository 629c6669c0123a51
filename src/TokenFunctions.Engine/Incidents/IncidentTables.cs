using Azure.Data.Tables;

namespace TokenFunctions.Engine.Incidents;

/// <summary>The ledger and progress tables, created on first use (a failed creation is retried by the next call).</summary>
public sealed class IncidentTables
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _created;

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
        if (_created)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_created)
            {
                await Ledger.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                await Progress.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                _created = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
