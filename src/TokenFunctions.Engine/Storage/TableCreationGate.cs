using Azure.Data.Tables;

namespace TokenFunctions.Engine.Storage;

/// <summary>
/// Creates a store's table on first use, once per instance: concurrent first callers wait for one creation, and a failed
/// creation is not remembered, so the next call tries again.
/// </summary>
public sealed class TableCreationGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _created;

    public async Task EnsureCreatedAsync(TableClient table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (_created)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_created)
            {
                await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
                _created = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
