using System.Text.Json;
using System.Text.Json.Serialization;

namespace TokenFunctions.Engine.Audit;

/// <summary>One record as the audit API and the fallback log line show it: token ids and fingerprints, never a secret.</summary>
public sealed record AuditRecordDto
{
    public required string RecordId { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required string Source { get; init; }

    public required string CorrelationId { get; init; }

    public required string Action { get; init; }

    public required string Outcome { get; init; }

    public string? TokenId { get; init; }

    public string? TokenKind { get; init; }

    public string? Fingerprint { get; init; }

    public string? Owner { get; init; }

    public double? LatencyMs { get; init; }

    public string? RequestedBy { get; init; }

    public bool DryRun { get; init; }

    public string? Detail { get; init; }

    public string? TokenOwner { get; init; }

    public string? TokenName { get; init; }

    public IReadOnlyList<string>? Scopes { get; init; }

    public DateTimeOffset? LastUsedDate { get; init; }

    public string? LastUsedIpAddress { get; init; }

    public static AuditRecordDto From(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var r = entry.Record;
        return new AuditRecordDto
        {
            RecordId = entry.RecordId,
            Timestamp = r.Timestamp,
            Source = r.Source,
            CorrelationId = r.CorrelationId,
            Action = r.Action,
            Outcome = r.Outcome,
            TokenId = r.TokenId?.Value,
            TokenKind = r.TokenKind?.ToString(),
            Fingerprint = r.Fingerprint,
            Owner = r.Owner,
            LatencyMs = r.Latency?.TotalMilliseconds,
            RequestedBy = r.RequestedBy,
            DryRun = r.DryRun,
            Detail = r.Detail,
            TokenOwner = r.BlastRadius?.TokenOwner,
            TokenName = r.BlastRadius?.Name,
            Scopes = r.BlastRadius?.Scopes,
            LastUsedDate = r.BlastRadius?.LastUsedDate,
            LastUsedIpAddress = r.BlastRadius?.LastUsedIpAddress,
        };
    }

    public static AuditRecordDto From(AuditRecord record) =>
        From(new AuditEntry(AuditKeys.RowKey(record.Timestamp, AuditKeys.ContentHash(record)), record));
}

/// <summary>Body of <c>GET /api/audit</c>.</summary>
public sealed record AuditQueryResponse(int Count, IReadOnlyList<AuditRecordDto> Records, string? Continuation);

/// <summary>A 4xx body in the shape of RFC 9457 problem details.</summary>
public sealed record AuditProblem(string Title, int Status, string Detail)
{
    public string Type { get; init; } = "about:blank";
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuditQueryResponse))]
[JsonSerializable(typeof(AuditProblem))]
[JsonSerializable(typeof(AuditRecordDto))]
public sealed partial class AuditJsonContext : JsonSerializerContext;
