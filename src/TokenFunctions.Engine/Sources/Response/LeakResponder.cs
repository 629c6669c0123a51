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
    ILogger<LeakResponder> logger,
    IIncidentLedger? ledger = null)
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

        // The queue resolves the alert only when everything it disables completes the alert: a token settled inline
        // as anything but disabled (not found, protected, denied, …) leaves the alert for a human, as inline.
        var message = Message(batch, pending, outcomes.Where(o => settled.Contains(o.TokenId)).All(IsDisabled) ? batch.GitHubAlert : null);
        var handOffFailed = !await EnqueueAsync(batch, message, pending.Count).ConfigureAwait(false);
        if (!handOffFailed)
        {
            foreach (var _ in pending)
            {
                metrics.TokenOutcome(batch.Source, "queued");
            }
        }
        else
        {
            metrics.TokenOutcome(batch.Source, "handoff-failed");
        }

        var outcome = handOffFailed ? "HandOffFailed" : "Queued";
        var detail = expired ? "inline deadline passed" : "kill-switch did not finish";
        await audit.TryWriteAsync(pending.Select(id => audit.Record(batch.Source, batch.CorrelationId, "handoff", outcome, id, detail)).ToList<AuditRecord>())
            .ConfigureAwait(false);
        return new ResponseOutcome(outcomes, handOffFailed ? [] : pending, handOffFailed, expired);
    }

    /// <summary>
    /// Every token of the batch is disabled but its GitHub alert is still open (the inline deadline cut the resolution, or
    /// GitHub failed): hands the resolution to the incident queue as a <c>disable</c> of those ids carrying the alert, which
    /// <see cref="GitHub.GitHubAlertFollowUp"/> resolves, retried by redelivery until GitHub answers. The inline outcomes go
    /// to the incident ledger first, so the queue finds the tokens finished and only resolves the alert (no second round of
    /// Dynatrace calls, notifications or leak rotations); without the ledger the queue checks them again and finds them
    /// AlreadyDisabled. False when the message could not be queued: the caller answers 5xx so the delivery can be retried.
    /// </summary>
    public async Task<bool> HandOffAlertResolutionAsync(LeakBatch batch, ResponseOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outcome);
        var disabled = outcome.Outcomes.Where(IsDisabled).DistinctBy(o => o.TokenId).ToList();
        if (batch.GitHubAlert is not { } alert || disabled.Count == 0)
        {
            return true;
        }

        var message = Message(batch, [.. disabled.Select(o => o.TokenId)], alert);
        if (ledger is not null)
        {
            try
            {
                using var budget = new CancellationTokenSource(options.Value.EnqueueTimeout, timeProvider);
                var now = timeProvider.GetUtcNow();
                var entries = disabled.Select(o => new LedgerEntry(o.TokenId, o.Outcome.ToString(), "inline:" + batch.CorrelationId, now)).ToList();
                await ledger.RecordAsync(message.IncidentId, LedgerActions.Disable, entries, budget.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // only an optimisation: the queue then checks the tokens with Dynatrace again
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogLedgerFailed(logger, batch.Source, batch.CorrelationId, e.GetType().Name);
            }
        }

        var queued = await EnqueueAsync(batch, message, disabled.Count).ConfigureAwait(false);
        await audit.TryWriteAsync([audit.Record(batch.Source, batch.CorrelationId, "resolve-alert", queued ? "Queued" : "HandOffFailed", detail: alert.ToString())])
            .ConfigureAwait(false);
        return queued;
    }

    private static bool IsDisabled(TokenOutcome outcome) => outcome.Outcome is TokenOutcomeKind.Disabled or TokenOutcomeKind.AlreadyDisabled;

    private static DisableMessage Message(LeakBatch batch, IReadOnlyList<TokenId> tokens, GitHubAlertReference? alert) => new()
    {
        IncidentId = batch.Source + ":" + batch.CorrelationId,
        Tokens = [.. tokens.Select(id => id.Value)],
        Source = batch.Source,
        RequestedBy = batch.Source,
        Reason = Redaction.Redact(batch.Reason),
        Location = Redaction.Redact(batch.Location),
        DetectedAt = batch.DetectedAt,
        Environment = batch.Environment ?? CommonOwner(batch.Leaks),
        GitHubAlert = alert,
    };

    private async Task<bool> EnqueueAsync(LeakBatch batch, DisableMessage message, int count)
    {
        try
        {
            using var budget = new CancellationTokenSource(options.Value.EnqueueTimeout, timeProvider);
            await queue.EnqueueAsync(message, budget.Token).ConfigureAwait(false);
            LogQueued(logger, batch.Source, batch.CorrelationId, count);
            return true;
        }
#pragma warning disable CA1031 // any failure to enqueue becomes a 5xx so the sender retries
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogHandOffFailed(logger, batch.Source, batch.CorrelationId, count, e.GetType().Name, Redaction.Redact(e.Message));
            return false;
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} {CorrelationId}: could not record the inline outcomes in the incident ledger ({ErrorType}); the queue checks the tokens again")]
    private static partial void LogLedgerFailed(ILogger logger, string source, string correlationId, string errorType);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Source} {CorrelationId}: could not hand {Count} token id(s) to the incident queue ({ErrorType}: {Error}); answering 5xx")]
    private static partial void LogHandOffFailed(ILogger logger, string source, string correlationId, int count, string errorType, string? error);
}
