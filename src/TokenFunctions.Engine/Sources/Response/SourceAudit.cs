using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>
/// Audit records for decisions the sources make themselves (hand-offs, needs-human). Verification failures are never
/// audited: they are only counted, so a flood of forged requests cannot flood the audit trail.
/// </summary>
public sealed partial class SourceAudit(
    IAuditSink sink,
    TokenFunctionsMetrics metrics,
    TimeProvider timeProvider,
    IOptions<SourcesOptions> options,
    ILogger<SourceAudit> logger)
{
    public AuditRecord Record(string source, string correlationId, string action, string outcome, TokenId? tokenId = null, string? detail = null, string? fingerprint = null) =>
        new()
        {
            Timestamp = timeProvider.GetUtcNow(),
            Source = source,
            CorrelationId = Redaction.Redact(correlationId) ?? string.Empty,
            Action = action,
            Outcome = outcome,
            TokenId = tokenId,
            TokenKind = tokenId?.Kind,
            Fingerprint = fingerprint,
            RequestedBy = source,
            Detail = Redaction.Redact(detail),
        };

    /// <summary>Writes with its own time budget (not the request's); false when the sink failed.</summary>
    public async Task<bool> TryWriteAsync(IReadOnlyList<AuditRecord> records)
    {
        if (records.Count == 0)
        {
            return true;
        }

        try
        {
            using var budget = new CancellationTokenSource(options.Value.EnqueueTimeout, timeProvider);
            await sink.WriteAsync(records, budget.Token).ConfigureAwait(false);
            return true;
        }
#pragma warning disable CA1031 // the audit sink is someone else's I/O: any failure is counted, never thrown at the sender
        catch (Exception e)
#pragma warning restore CA1031
        {
            metrics.AuditFailure("source-audit");
            LogAuditFailed(logger, records.Count, e.GetType().Name, Redaction.Redact(e.Message));
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} audit record(s): {ErrorType} {Error}")]
    private static partial void LogAuditFailed(ILogger logger, int count, string errorType, string? error);
}
