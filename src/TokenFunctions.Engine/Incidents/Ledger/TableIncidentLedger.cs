using Azure.Data.Tables;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>
/// The ledger in Azure Table Storage: partition <c>{incidentId}|{action}</c>, row key the token id. Writes are idempotent
/// upserts in entity-group transactions of up to 100, so a crash between two batches only repeats an upsert.
/// </summary>
public sealed class TableIncidentLedger : IIncidentLedger
{
    private const int MaxTransactionSize = 100;
    private readonly IncidentTables _tables;

    public TableIncidentLedger(IncidentTables tables) => _tables = tables;

    public async Task<IReadOnlyList<LedgerEntry>> GetFinishedAsync(string incidentId, string action, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var partition = IncidentTableKeys.LedgerPartition(incidentId, action);
        var entries = new List<LedgerEntry>();
        var query = _tables.Ledger.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition}"),
            maxPerPage: 1000,
            select: ["RowKey", "Outcome", "MessageId", "RecordedAt"],
            cancellationToken: cancellationToken);
        await foreach (var entity in query.ConfigureAwait(false))
        {
            // A row that is not a token id was not written by this class: ignore it rather than trust it.
            if (TokenId.TryFromServer(entity.RowKey, out var id))
            {
                entries.Add(new LedgerEntry(
                    id,
                    entity.GetString("Outcome") ?? string.Empty,
                    entity.GetString("MessageId") ?? string.Empty,
                    entity.GetDateTimeOffset("RecordedAt") ?? default));
            }
        }

        return entries;
    }

    public async Task RecordAsync(string incidentId, string action, IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var partition = IncidentTableKeys.LedgerPartition(incidentId, action);

        // A transaction may not touch one row twice.
        var distinct = entries.GroupBy(e => e.TokenId).Select(g => g.Last());
        foreach (var chunk in distinct.Chunk(MaxTransactionSize))
        {
            var actions = chunk.Select(e => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace,
                new TableEntity(partition, e.TokenId.Value)
                {
                    ["IncidentId"] = incidentId,
                    ["Action"] = action,
                    ["Outcome"] = e.Outcome,
                    ["MessageId"] = e.MessageId,
                    ["RecordedAt"] = e.RecordedAt,
                }));
            await _tables.Ledger.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
    }
}
