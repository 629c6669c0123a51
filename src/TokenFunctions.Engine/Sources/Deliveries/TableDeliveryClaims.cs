using Azure;
using Azure.Data.Tables;
using TokenFunctions.Engine.Storage;

namespace TokenFunctions.Engine.Sources.Deliveries;

/// <summary>
/// The durable delivery claims in Azure Table Storage. Partition = source, row = encoded key. Claims are an insert (first comer
/// wins); an expired lease or retention is taken over with an ETag-conditional replace, so two instances racing for a
/// stale claim cannot both win.
/// </summary>
public sealed class TableDeliveryClaims : IDeliveryClaims
{
    private const string InProgress = "InProgress";
    private const string Completed = "Completed";

    private readonly TableClient _table;
    private readonly TimeProvider _timeProvider;
    private readonly TableCreationGate _creation = new();

    public TableDeliveryClaims(TableClient table, TimeProvider timeProvider)
    {
        _table = table;
        _timeProvider = timeProvider;
    }

    public async Task<DeliveryClaim> ClaimAsync(string source, string key, TimeSpan lease, TimeSpan retention, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var rowKey = DeliveryKey.Encode(key);
        for (var round = 0; round < 3; round++)
        {
            var now = _timeProvider.GetUtcNow();
            var fresh = NewEntity(source, rowKey, now + lease, now + retention, 1);
            try
            {
                var added = await _table.AddEntityAsync(fresh, cancellationToken).ConfigureAwait(false);
                return new DeliveryClaim(ClaimStatus.Claimed, source, key, now + retention, added.Headers.ETag?.ToString());
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Someone holds or held it: read and decide.
            }

            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(source, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!existing.HasValue || existing.Value is null)
            {
                continue; // released between our insert and read; insert again
            }

            var entity = existing.Value;
            var retainUntil = entity.GetDateTimeOffset("RetainUntil") ?? DateTimeOffset.MinValue;
            var leaseUntil = entity.GetDateTimeOffset("LeaseUntil") ?? DateTimeOffset.MinValue;
            var state = entity.GetString("State");
            if (retainUntil > now)
            {
                if (state == Completed)
                {
                    return new DeliveryClaim(ClaimStatus.AlreadyCompleted, source, key, retainUntil);
                }

                if (leaseUntil > now)
                {
                    return new DeliveryClaim(ClaimStatus.InProgress, source, key, retainUntil);
                }
            }

            var attempt = (entity.GetInt32("Attempts") ?? 1) + 1;
            var takeover = NewEntity(source, rowKey, now + lease, now + retention, attempt);
            try
            {
                var replaced = await _table.UpdateEntityAsync(takeover, entity.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return new DeliveryClaim(ClaimStatus.Claimed, source, key, now + retention, replaced.Headers.ETag?.ToString()) { Attempt = attempt };
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                return new DeliveryClaim(ClaimStatus.InProgress, source, key, retainUntil);
            }
        }

        return new DeliveryClaim(ClaimStatus.InProgress, source, key, DateTimeOffset.MinValue);
    }

    public async Task CompleteAsync(DeliveryClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(claim.Source, DeliveryKey.Encode(claim.Key))
        {
            ["State"] = Completed,
            ["LeaseUntil"] = claim.RetainUntil,
            ["RetainUntil"] = claim.RetainUntil,
            ["Attempts"] = claim.Attempt,
            ["CompletedAt"] = _timeProvider.GetUtcNow(),
        };

        // Unconditional: completion is idempotent, and a slow attempt that lost its lease still did the work.
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(DeliveryClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.Handle is null)
        {
            return;
        }

        try
        {
            await _table.DeleteEntityAsync(claim.Source, DeliveryKey.Encode(claim.Key), new ETag(claim.Handle), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Already gone or taken over by a later attempt: nothing of ours to release.
        }
    }

    private static TableEntity NewEntity(string source, string rowKey, DateTimeOffset leaseUntil, DateTimeOffset retainUntil, int attempts) =>
        new(source, rowKey)
        {
            ["State"] = InProgress,
            ["LeaseUntil"] = leaseUntil,
            ["RetainUntil"] = retainUntil,
            ["Attempts"] = attempts,
        };

    private Task EnsureTableAsync(CancellationToken cancellationToken) => _creation.EnsureCreatedAsync(_table, cancellationToken);
}
