using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Azure;
using Azure.Data.Tables;

namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>
/// Progress in Azure Table Storage: partition the (encoded) incident id, row key the work id. Saves are conditional on the
/// ETag read (or on the row not existing yet), which is what keeps two deliveries from working on the same incident.
/// </summary>
public sealed class TableIncidentProgressStore : IIncidentProgressStore
{
    // A string column holds 64 KiB of UTF-16; lists longer than this are spread over numbered columns.
    private const int ChunkChars = 30_000;

    private readonly IncidentTables _tables;

    public TableIncidentProgressStore(IncidentTables tables) => _tables = tables;

    public async Task<IncidentProgress?> GetAsync(string incidentId, string workId, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var response = await _tables.Progress
            .GetEntityIfExistsAsync<TableEntity>(IncidentTableKeys.Encode(incidentId), workId, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return response.HasValue ? FromEntity(response.Value!, incidentId) : null;
    }

    public async Task<IncidentProgress?> TrySaveAsync(IncidentProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var entity = ToEntity(progress);
        try
        {
            var response = progress.Version is null
                ? await _tables.Progress.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await _tables.Progress.UpdateEntityAsync(entity, new ETag(progress.Version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return progress with { Version = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    private static TableEntity ToEntity(IncidentProgress p)
    {
        var entity = new TableEntity(IncidentTableKeys.Encode(p.IncidentId), p.WorkId)
        {
            ["IncidentId"] = p.IncidentId,
            ["MessageType"] = p.MessageType,
            ["State"] = p.State.ToString(),
            ["LeaseOwner"] = p.LeaseOwner,
            ["LeaseUntil"] = p.LeaseUntil,
            ["Deliveries"] = p.Deliveries,
            ["Succeeded"] = p.Succeeded,
            ["Settled"] = p.Settled,
            ["NeedsHumanCount"] = p.NeedsHumanCount,
            ["LastSettlement"] = p.LastSettlement,
            ["RetryAttempts"] = p.RetryAttempts,
            ["RetrySince"] = p.RetrySince,
            ["CreatedAt"] = p.CreatedAt,
            ["UpdatedAt"] = p.UpdatedAt,
        };
        PutChunked(entity, "Cursors", JsonSerializer.Serialize(p.Cursors, IncidentStoreJsonContext.Default.IReadOnlyListTargetCursor));
        PutChunked(entity, "NeedsHuman", JsonSerializer.Serialize(p.NeedsHuman, IncidentStoreJsonContext.Default.IReadOnlyListString));
        return entity;
    }

    private static IncidentProgress FromEntity(TableEntity e, string incidentId) => new()
    {
        IncidentId = e.GetString("IncidentId") ?? incidentId,
        WorkId = e.RowKey,
        MessageType = e.GetString("MessageType") ?? string.Empty,
        State = Enum.TryParse<IncidentProgressState>(e.GetString("State"), out var state) ? state : IncidentProgressState.InProgress,
        LeaseOwner = e.GetString("LeaseOwner"),
        LeaseUntil = e.GetDateTimeOffset("LeaseUntil"),
        Deliveries = e.GetInt32("Deliveries") ?? 0,
        Succeeded = e.GetInt64("Succeeded") ?? 0,
        Settled = e.GetInt64("Settled") ?? 0,
        NeedsHumanCount = e.GetInt64("NeedsHumanCount") ?? 0,
        LastSettlement = e.GetString("LastSettlement"),
        RetryAttempts = e.GetInt32("RetryAttempts") ?? 0,
        RetrySince = e.GetDateTimeOffset("RetrySince"),
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        Cursors = GetChunked(e, "Cursors", IncidentStoreJsonContext.Default.IReadOnlyListTargetCursor) ?? [],
        NeedsHuman = GetChunked(e, "NeedsHuman", IncidentStoreJsonContext.Default.IReadOnlyListString) ?? [],
        Version = e.ETag.ToString(),
    };

    private static void PutChunked(TableEntity entity, string name, string value)
    {
        var chunks = 0;
        for (var start = 0; start < value.Length; start += ChunkChars, chunks++)
        {
            entity[name + chunks.ToString(CultureInfo.InvariantCulture)] = value.Substring(start, Math.Min(ChunkChars, value.Length - start));
        }

        entity[name + "Chunks"] = chunks;
    }

    private static T? GetChunked<T>(TableEntity entity, string name, JsonTypeInfo<T> typeInfo)
    {
        var chunks = entity.GetInt32(name + "Chunks") ?? 0;
        if (chunks == 0)
        {
            return default;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < chunks; i++)
        {
            sb.Append(entity.GetString(name + i.ToString(CultureInfo.InvariantCulture)));
        }

        return JsonSerializer.Deserialize(sb.ToString(), typeInfo);
    }
}
