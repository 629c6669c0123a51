using Azure;
using Microsoft.Extensions.Logging;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Rotation.Jobs;

/// <summary>
/// The sweep timer (<c>Rotation:SweepSchedule</c>): disables replaced tokens whose overlap window has ended and deletes
/// those whose grace period has passed. Each step is recorded as it happens, so a crashed or overlapping sweep repeats
/// nothing but idempotent calls.
/// </summary>
public sealed partial class SweepJob(
    IRotationStateStore store,
    IRotationService rotation,
    RotationAudit audit,
    TimeProvider timeProvider,
    ILogger<SweepJob> logger)
{
    public const string Source = "sweep-timer";

    public async Task<SweepReport> RunAsync(CancellationToken cancellationToken)
    {
        var (runId, startedAt, correlationId) = JobRun.Start(Source, timeProvider);
        IReadOnlyList<CredentialState> rows;
        try
        {
            rows = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            audit.Metric("sweep-run", "Failed");
            LogRunFailed(e.Status, Redaction.Redact(e.Message));
            return new SweepReport(runId, startedAt, [], $"storage unavailable (HTTP {e.Status})");
        }

        var items = new List<RetirementResult>();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = timeProvider.GetUtcNow();
            var due = row.Retiring.Any(r => (r.DisabledAt is null && r.DisableAfter <= now) || (r.DisabledAt is not null && r.DeleteAfter <= now));
            if (due)
            {
                items.Add(await rotation.RetireDueAsync(row.SecretName, correlationId, Source, cancellationToken).ConfigureAwait(false));
            }
        }

        var report = new SweepReport(runId, startedAt, items);
        audit.Metric("sweep-run", report.Failed == 0 ? "Completed" : "Failed");
        LogRun(report.Disabled, report.Deleted, report.Failed, report.Busy);
        return report;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep run: {Disabled} disabled, {Deleted} deleted, {Failed} failed, {Busy} busy")]
    private partial void LogRun(int disabled, int deleted, int failed, int busy);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweep run could not read rotation state (HTTP {Status}): {Message}")]
    private partial void LogRunFailed(int status, string? message);
}
