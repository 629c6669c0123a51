using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>
/// Audit records for decisions the sources make themselves (hand-offs, needs-human), written through
/// <see cref="AuditWriter"/>. Verification failures are never audited: they are only counted, so a flood of forged
/// requests cannot flood the audit trail.
/// </summary>
public sealed class SourceAudit(AuditWriter writer, TimeProvider timeProvider)
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

    /// <summary>
    /// Writes through <see cref="AuditWriter"/>; false only when the records could not even be kept for a retry
    /// (<see cref="AuditWriteResult.Lost"/>), which the sources answer with 503 when the record is all a human will see.
    /// </summary>
    public async Task<bool> TryWriteAsync(IReadOnlyList<AuditRecord> records) =>
        await writer.TryWriteAsync(records).ConfigureAwait(false) != AuditWriteResult.Lost;
}
