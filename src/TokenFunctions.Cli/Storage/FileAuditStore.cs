using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Cli.Storage;

/// <summary>
/// The audit trail as a JSON-lines file of the audit API's own record shape (<see cref="AuditRecordDto"/>: ids and
/// fingerprints, every text already redacted). It is only the store: the engine's <c>AuditWriter</c> writes to it and
/// decides what a failed write means, as in the function app. Queries read the file: the embedded store is for one
/// operator's machine, not for millions of records.
/// </summary>
internal sealed class FileAuditStore(string path, IOptions<AuditOptions> options, TimeProvider time) : IAuditSink, IAuditQuery
{
    public string Path => path;

    public async Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        foreach (var record in records)
        {
            text.Append(JsonSerializer.Serialize(AuditRecordDto.From(record), AuditJsonContext.Default.AuditRecordDto)).Append('\n');
        }

        // One more pass over the line itself, as the table store redacts when it writes. Not cancellable: a decision
        // already taken is recorded even when Ctrl+C arrives while it is being written.
        var redacted = Redaction.Redact(text.ToString())!;
        using var held = await FileLock.AcquireAsync(path + ".lock", CancellationToken.None).ConfigureAwait(false);
        await File.AppendAllTextAsync(path, redacted, CancellationToken.None).ConfigureAwait(false);
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var now = time.GetUtcNow();
        var from = query.From ?? DateTimeOffset.MinValue;
        var to = query.To ?? (query.From is null ? DateTimeOffset.MaxValue : now);
        var limit = query.Limit ?? options.Value.DefaultQueryLimit;
        if (!File.Exists(path))
        {
            return new AuditPage([], null);
        }

        var entries = new List<AuditEntry>();
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (line.Length == 0 || JsonSerializer.Deserialize(line, AuditJsonContext.Default.AuditRecordDto) is not { } dto)
            {
                continue;
            }

            if (dto.Timestamp < from || dto.Timestamp >= to
                || (query.TokenId is { } id && dto.TokenId != id.Value)
                || (query.IncidentId is { } incident && dto.CorrelationId != incident))
            {
                continue;
            }

            entries.Add(new AuditEntry(dto.RecordId, ToRecord(dto)));
        }

        return new AuditPage([.. entries.OrderByDescending(e => e.Record.Timestamp).ThenByDescending(e => e.RecordId, StringComparer.Ordinal).Take(limit)], null);
    }

    private static AuditRecord ToRecord(AuditRecordDto dto) => new()
    {
        Timestamp = dto.Timestamp,
        Source = dto.Source,
        CorrelationId = dto.CorrelationId,
        Action = dto.Action,
        Outcome = dto.Outcome,
        TokenId = TokenId.TryParse(dto.TokenId, out var id) ? id : null,
        TokenKind = Enum.TryParse<TokenKind>(dto.TokenKind, out var kind) ? kind : null,
        Fingerprint = dto.Fingerprint,
        Owner = dto.Owner,
        Latency = dto.LatencyMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        RequestedBy = dto.RequestedBy,
        DryRun = dto.DryRun,
        Detail = dto.Detail,
        BlastRadius = dto.TokenOwner is null && dto.Scopes is null && dto.LastUsedDate is null && dto.TokenName is null
            ? null
            : new BlastRadius(dto.TokenOwner, dto.Scopes ?? [], dto.LastUsedDate, dto.LastUsedIpAddress, dto.TokenName),
    };
}
