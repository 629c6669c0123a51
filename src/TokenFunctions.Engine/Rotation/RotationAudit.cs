using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Every rotation step leaves an audit record (token ids and fingerprints only) and a metric point, written through
/// <see cref="AuditWriter"/> (which decides what a failed write means), never allowed to stop a rotation half way: the
/// state row is the durable truth, the audit trail the explanation.
/// </summary>
public sealed partial class RotationAudit
{
    private readonly AuditWriter _writer;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RotationAudit> _logger;

    public RotationAudit(AuditWriter writer, TokenFunctionsMetrics metrics, TimeProvider timeProvider, ILogger<RotationAudit> logger)
    {
        _writer = writer;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Records one step: <paramref name="action"/> is the metric's step tag, <paramref name="outcome"/> its outcome tag.</summary>
    public async Task RecordAsync(RotationAuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _metrics.Rotation(entry.Action, entry.Outcome);
        var record = new AuditRecord
        {
            Timestamp = _timeProvider.GetUtcNow(),
            Source = entry.Source,
            CorrelationId = entry.CorrelationId,
            Action = entry.Action,
            Outcome = entry.Outcome,
            TokenId = entry.TokenId,
            TokenKind = entry.TokenId?.Kind,
            Fingerprint = entry.Fingerprint,
            Owner = entry.Target,
            Detail = Redaction.Redact(entry.Detail),
            BlastRadius = entry.BlastRadius,
        };

        LogStep(entry.Action, entry.Outcome, entry.SecretName, entry.TokenId?.Value, record.Detail);
        await _writer.TryWriteAsync([record]).ConfigureAwait(false);
    }

    public void Metric(string step, string outcome) => _metrics.Rotation(step, outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotation {Action} {Outcome} for secret {SecretName}, token {TokenId}: {Detail}")]
    private partial void LogStep(string action, string outcome, string? secretName, string? tokenId, string? detail);
}

/// <summary>One audited rotation step.</summary>
public sealed record RotationAuditEntry
{
    public required string Source { get; init; }

    public required string CorrelationId { get; init; }

    public required string Action { get; init; }

    public required string Outcome { get; init; }

    public string? SecretName { get; init; }

    public TokenId? TokenId { get; init; }

    public string? Fingerprint { get; init; }

    public string? Target { get; init; }

    public string? Detail { get; init; }

    public BlastRadius? BlastRadius { get; init; }
}
