using Azure.Data.Tables;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Audit;

/// <summary>Maps records to table entities (one per index partition) and back. Every text passes redaction again on the way in.</summary>
internal static class AuditEntityMapper
{
    public const int SchemaVersion = 1;

    /// <summary>Table Storage allows 64 KiB per string property; a detail this long is already unreadable.</summary>
    public const int MaxDetailLength = 8_000;

    public const int MaxFieldLength = 1_024;

    public static IEnumerable<TableEntity> ToEntities(AuditRecord record)
    {
        var rowKey = AuditKeys.RowKey(record.Timestamp, AuditKeys.ContentHash(record));
        if (record.TokenId is { } tokenId)
        {
            yield return ToEntity(record, AuditKeys.TokenPartition(tokenId), rowKey);
        }

        yield return ToEntity(record, AuditKeys.TimePartition(record.Timestamp), rowKey);
        yield return ToEntity(record, AuditKeys.IncidentPartition(record.CorrelationId), rowKey);
    }

    public static TableEntity ToEntity(AuditRecord record, string partitionKey, string rowKey)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["SchemaVersion"] = SchemaVersion,
            ["OccurredAt"] = record.Timestamp.ToUniversalTime(),
            ["DryRun"] = record.DryRun,
        };
        Set(entity, "Source", record.Source);
        Set(entity, "CorrelationId", record.CorrelationId);
        Set(entity, "Action", record.Action);
        Set(entity, "Outcome", record.Outcome);
        Set(entity, "TokenId", record.TokenId?.Value);
        Set(entity, "TokenKind", record.TokenKind?.ToString());
        Set(entity, "Fingerprint", record.Fingerprint);
        Set(entity, "Owner", record.Owner);
        Set(entity, "RequestedBy", record.RequestedBy);
        Set(entity, "Detail", record.Detail, MaxDetailLength);
        if (record.Latency is { } latency)
        {
            entity["LatencyTicks"] = latency.Ticks;
        }

        if (record.BlastRadius is { } blast)
        {
            entity["HasBlastRadius"] = true;
            Set(entity, "TokenOwner", blast.TokenOwner);
            Set(entity, "Scopes", string.Join('\n', blast.Scopes), MaxDetailLength);
            Set(entity, "LastUsedIpAddress", blast.LastUsedIpAddress);
            Set(entity, "TokenName", blast.Name);
            if (blast.LastUsedDate is { } lastUsed)
            {
                entity["LastUsedDate"] = lastUsed.ToUniversalTime();
            }
        }

        return entity;
    }

    public static AuditEntry FromEntity(TableEntity entity)
    {
        // The row key holds the exact instant; OccurredAt is there for people browsing the table.
        var timestamp = AuditKeys.TryParseRowKey(entity.RowKey, out var fromKey)
            ? fromKey
            : entity.GetDateTimeOffset("OccurredAt") ?? DateTimeOffset.MinValue;
        var tokenId = TokenId.TryFromServer(entity.GetString("TokenId"), out var id) ? id : (TokenId?)null;
        var kind = Enum.TryParse<TokenKind>(entity.GetString("TokenKind"), out var k) ? k : (TokenKind?)null;
        BlastRadius? blast = null;
        if (entity.GetBoolean("HasBlastRadius") == true)
        {
            var scopes = entity.GetString("Scopes");
            blast = new BlastRadius(
                entity.GetString("TokenOwner"),
                string.IsNullOrEmpty(scopes) ? [] : scopes.Split('\n'),
                entity.GetDateTimeOffset("LastUsedDate"),
                entity.GetString("LastUsedIpAddress"),
                entity.GetString("TokenName"));
        }

        var latency = entity.GetInt64("LatencyTicks");
        var record = new AuditRecord
        {
            Timestamp = timestamp,
            Source = entity.GetString("Source") ?? string.Empty,
            CorrelationId = entity.GetString("CorrelationId") ?? string.Empty,
            Action = entity.GetString("Action") ?? string.Empty,
            Outcome = entity.GetString("Outcome") ?? string.Empty,
            TokenId = tokenId,
            TokenKind = kind,
            Fingerprint = entity.GetString("Fingerprint"),
            Owner = entity.GetString("Owner"),
            Latency = latency is { } ticks ? TimeSpan.FromTicks(ticks) : null,
            RequestedBy = entity.GetString("RequestedBy"),
            DryRun = entity.GetBoolean("DryRun") ?? false,
            Detail = entity.GetString("Detail"),
            BlastRadius = blast,
        };
        return new AuditEntry(entity.RowKey, record);
    }

    private static void Set(TableEntity entity, string name, string? value, int maxLength = MaxFieldLength)
    {
        var redacted = Redaction.Redact(value);
        if (redacted is null)
        {
            return;
        }

        entity[name] = redacted.Length <= maxLength ? redacted : string.Concat(redacted.AsSpan(0, maxLength - 1), "…");
    }
}
