using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.KillSwitch;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>
/// The response policy shared by every source: disable inline until the deadline, then hand whatever is unfinished or
/// came back transient to the incident queue as a <see cref="DisableMessage"/> carrying token ids only. The caller
/// answers 2xx unless <see cref="ResponseOutcome.HandOffFailed"/>, in which case it answers 5xx so the sender retries.
/// </summary>
public sealed partial class LeakResponder(
    IKillSwitch killSwitch,
    IIncidentQueue queue,
    SourceAudit audit,
    TokenFunctionsMetrics metrics,
    TimeProvider timeProvider,
    IOptions<SourcesOptions> options,
    ILogger<LeakResponder> logger)
{
    /// <param name="batch">The leaks; an empty batch does nothing.</param>
    /// <param name="deadline">Cancelled at the inline deadline (started when the request arrived).</param>
    public async Task<ResponseOutcome> RespondAsync(LeakBatch batch, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Leaks.Count == 0)
        {
            return ResponseOutcome.Empty;
        }

        IReadOnlyList<TokenOutcome> outcomes = [];
        var expired = false;
        try
        {
            var result = await killSwitch.DisableAsync(new KillSwitchRequest(batch.Leaks), deadline).ConfigureAwait(false);
            outcomes = result.Outcomes;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            expired = true;
            LogDeadline(logger, batch.Source, batch.CorrelationId, batch.Leaks.Count);
        }
#pragma warning disable CA1031 // whatever the kill-switch threw, the leak must still reach the queue
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogKillSwitchFailed(logger, batch.Source, batch.CorrelationId, e.GetType().Name, Redaction.Redact(e.Message));
        }

        var settled = outcomes.Where(o => !o.IsRetryable).Select(o => o.TokenId).ToHashSet();
        var pending = batch.Leaks.Select(l => l.TokenId).Where(id => !settled.Contains(id)).Distinct().ToList();
        if (pending.Count == 0)
        {
            return new ResponseOutcome(outcomes, [], false, expired);
        }

        var message = new DisableMessage
        {
            IncidentId = batch.Source + ":" + batch.CorrelationId,
            Tokens = pending.Select(id => id.Value).ToList(),
            Source = batch.Source,
            RequestedBy = batch.Source,
            Reason = Redaction.Redact(batch.Reason),
            Location = Redaction.Redact(batch.Location),
            DetectedAt = batch.DetectedAt,
            Environment = batch.Environment ?? CommonOwner(batch.Leaks),

            // The queue resolves the alert only when everything it disables completes the alert: a token settled inline
            // as anything but disabled (not found, protected, denied, …) leaves the alert for a human, as inline.
            GitHubAlert = outcomes.Where(o => settled.Contains(o.TokenId)).All(o => o.Outcome is TokenOutcomeKind.Disabled or TokenOutcomeKind.AlreadyDisabled)
                ? batch.GitHubAlert
                : null,
        };

        var handOffFailed = false;
        try
        {
            using var budget = new CancellationTokenSource(options.Value.EnqueueTimeout, timeProvider);
            await queue.EnqueueAsync(message, budget.Token).ConfigureAwait(false);
            foreach (var _ in pending)
            {
                metrics.TokenOutcome(batch.Source, "queued");
            }

            LogQueued(logger, batch.Source, batch.CorrelationId, pending.Count);
        }
#pragma warning disable CA1031 // any failure to enqueue becomes a 5xx so the sender retries
        catch (Exception e)
#pragma warning restore CA1031
        {
            handOffFailed = true;
            metrics.TokenOutcome(batch.Source, "handoff-failed");
            LogHandOffFailed(logger, batch.Source, batch.CorrelationId, pending.Count, e.GetType().Name, Redaction.Redact(e.Message));
        }

        var outcome = handOffFailed ? "HandOffFailed" : "Queued";
        var detail = expired ? "inline deadline passed" : "kill-switch did not finish";
        await audit.TryWriteAsync(pending.Select(id => audit.Record(batch.Source, batch.CorrelationId, "handoff", outcome, id, detail)).ToList<AuditRecord>())
            .ConfigureAwait(false);
        return new ResponseOutcome(outcomes, handOffFailed ? [] : pending, handOffFailed, expired);
    }

    private static string? CommonOwner(IReadOnlyList<Leak> leaks)
    {
        var owners = leaks.Select(l => l.OwnerHint).Distinct().ToList();
        return owners.Count == 1 ? owners[0] : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} {CorrelationId}: inline deadline passed with {Count} leak(s) in flight; handing off")]
    private static partial void LogDeadline(ILogger logger, string source, string correlationId, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Source} {CorrelationId}: kill-switch failed ({ErrorType}: {Error}); handing off")]
    private static partial void LogKillSwitchFailed(ILogger logger, string source, string correlationId, string errorType, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} {CorrelationId}: {Count} token id(s) handed to the incident queue")]
    private static partial void LogQueued(ILogger logger, string source, string correlationId, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Source} {CorrelationId}: could not hand {Count} token id(s) to the incident queue ({ErrorType}: {Error}); answering 5xx")]
    private static partial void LogHandOffFailed(ILogger logger, string source, string correlationId, int count, string errorType, string? error);
}
