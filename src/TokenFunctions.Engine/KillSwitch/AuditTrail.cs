using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.KillSwitch;

/// <summary>
/// Writes the kill-switch's audit records. A sink failure never fails a revocation: it is counted
/// (<see cref="TokenFunctionsMetrics.AuditFailure"/>) and each lost record is logged in full (records hold no secrets),
/// so the trail survives in the logs.
/// </summary>
internal sealed class AuditTrail(IAuditSink sink, TokenFunctionsMetrics metrics, TimeProvider time, ILogger logger)
{
    /// <summary>Records are written in groups of this size during a batch, bounding what a crash could lose.</summary>
    public const int FlushEvery = 50;

    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);

    public AuditBuffer StartBuffer() => new(this);

    public async Task WriteAsync(IReadOnlyList<AuditRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }

        // Not the caller's token: a decision already taken must be recorded even when the caller gives up.
        using var timeout = new CancellationTokenSource(WriteTimeout, time);
        try
        {
            await sink.WriteAsync(records, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var reason = ex is OperationCanceledException && timeout.IsCancellationRequested ? "timeout" : "sink-error";
            var safe = Redaction.RedactException(ex);
            foreach (var r in records)
            {
                metrics.AuditFailure(reason);
                KillSwitchLog.AuditRecordLost(
                    logger, safe, reason, r.Timestamp, r.Action, r.Outcome, r.TokenId, r.Fingerprint, r.Owner, r.Source, r.CorrelationId, r.DryRun, r.RequestedBy, r.Detail);
            }
        }
    }
}
