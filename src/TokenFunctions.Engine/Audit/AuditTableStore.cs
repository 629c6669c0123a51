using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Storage;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// The durable, append-only audit trail in Azure Table Storage. Writes only ever add entities (never upsert, update or
/// delete); see <see cref="AuditKeys"/> for the key design. Writing the same record again is a no-op, so any retry is safe.
/// </summary>
public sealed class AuditTableStore : IAuditSink, IAuditQuery
{
    /// <summary>Table Storage's limit of actions per entity-group transaction.</summary>
    internal const int MaxBatch = 100;

    private readonly TableClient _table;
    private readonly AuditOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly TableCreationGate _creation = new();

    public AuditTableStore(TableServiceClient service, IOptions<AuditOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(service);
        _options = options.Value;
        _table = service.GetTableClient(_options.TableName);
        _timeProvider = timeProvider;
    }

    public string TableName => _table.Name;

    public async Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);

        // A transaction must stay inside one partition; identical records in one call collapse to one row.
        var chunks = records
            .SelectMany(AuditEntityMapper.ToEntities)
            .DistinctBy(e => (e.PartitionKey, e.RowKey))
            .GroupBy(e => e.PartitionKey, StringComparer.Ordinal)
            .SelectMany(g => g.Chunk(MaxBatch))
            .ToList();

        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (chunk, ct) => await SubmitAsync(chunk, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = _timeProvider.GetUtcNow();
        if (query.Validate(_options, now) is { } error)
        {
            throw new ArgumentException(error, nameof(query));
        }

        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);

        var limit = query.Limit ?? _options.DefaultQueryLimit;
        var found = await ReadRowsAsync(query, now, limit, cancellationToken).ConfigureAwait(false);
        string? next = null;
        if (found.Count > limit)
        {
            var last = found[limit - 1];
            next = new AuditContinuation(last.PartitionKey, last.RowKey).Encode();
            found.RemoveAt(limit);
        }

        return new AuditPage(found.Select(AuditEntityMapper.FromEntity).ToList(), next);
    }

    /// <summary>The query's rows in key order from its continuation on: one more than <paramref name="limit"/> when there are more.</summary>
    private async Task<List<TableEntity>> ReadRowsAsync(AuditQuery query, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var (from, to) = query.Range(now);
        var partitions = query.Partitions(now);

        // Rows for instants in [from, to): inverted ticks turn the range around (see AuditKeys.LowerBound).
        var lowestRow = to < DateTimeOffset.MaxValue ? AuditKeys.LowerBound(to.AddTicks(-1)) : null;
        var beyondRow = query.From is not null && from.UtcTicks > 0 ? AuditKeys.LowerBound(from.AddTicks(-1)) : null;

        var start = 0;
        string? after = null;
        if (query.Continuation is not null && AuditContinuation.TryParse(query.Continuation, out var continuation))
        {
            start = Math.Max(0, IndexOf(partitions, continuation.PartitionKey));
            after = continuation.RowKey;
        }

        // One more than asked, so the page knows whether a next one exists.
        var found = new List<TableEntity>(Math.Min(limit + 1, 1024));
        for (var i = start; i < partitions.Count && found.Count <= limit; i++)
        {
            var filter = Filter(partitions[i], lowestRow, beyondRow, i == start ? after : null);
            var pageSize = Math.Min(1000, limit + 1 - found.Count);
            try
            {
                await foreach (var entity in _table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    found.Add(entity);
                    if (found.Count > limit)
                    {
                        break;
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // No table yet (created by infrastructure, nothing written so far): an empty trail, not an error.
                break;
            }
        }

        return found;
    }

    private static string Filter(string partitionKey, string? lowestRow, string? beyondRow, string? afterRow)
    {
        var parts = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}") };
        if (lowestRow is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey ge {lowestRow}"));
        }

        if (beyondRow is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey lt {beyondRow}"));
        }

        if (afterRow is not null)
        {
            parts.Add(TableClient.CreateQueryFilter($"RowKey gt {afterRow}"));
        }

        return string.Join(" and ", parts);
    }

    private static int IndexOf(IReadOnlyList<string> partitions, string partitionKey)
    {
        for (var i = 0; i < partitions.Count; i++)
        {
            if (string.Equals(partitions[i], partitionKey, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private async Task SubmitAsync(TableEntity[] chunk, CancellationToken cancellationToken)
    {
        if (chunk.Length == 1)
        {
            await AddIfAbsentAsync(chunk[0], cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await _table.SubmitTransactionAsync(
                chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException ex) when (ex.Status == 409)
        {
            // Part of this batch is already stored (an earlier attempt landed, or another writer stored the same
            // record): a transaction is all-or-nothing, so add one by one and skip what exists.
            foreach (var entity in chunk)
            {
                await AddIfAbsentAsync(entity, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task AddIfAbsentAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Same row key means same content hash and instant: this record is already in the trail.
        }
    }

    private Task EnsureTableAsync(CancellationToken cancellationToken) =>
        _options.CreateTableIfNotExists ? _creation.EnsureCreatedAsync(_table, cancellationToken) : Task.CompletedTask;
}
