using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// Every rotation step leaves an audit record (token ids and fingerprints only) and a metric point. A failing audit sink
/// is counted and logged, never allowed to stop a rotation half way: the state row is the durable truth, the audit trail
/// the explanation.
/// </summary>
public sealed partial class RotationAudit
{
    private readonly IAuditSink _sink;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RotationAudit> _logger;

    public RotationAudit(IAuditSink sink, TokenFunctionsMetrics metrics, TimeProvider timeProvider, ILogger<RotationAudit> logger)
    {
        _sink = sink;
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
        try
        {
            await _sink.WriteAsync([record], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _metrics.AuditFailure("rotation");
            LogAuditFailed(e.GetType().Name, Redaction.Redact(e.Message));
        }
    }

    public void Metric(string step, string outcome) => _metrics.Rotation(step, outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rotation {Action} {Outcome} for secret {SecretName}, token {TokenId}: {Detail}")]
    private partial void LogStep(string action, string outcome, string? secretName, string? tokenId, string? detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit record for a rotation step could not be written ({ExceptionType}): {Message}")]
    private partial void LogAuditFailed(string exceptionType, string? message);
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
