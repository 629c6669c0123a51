using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Audit;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.Response;

/// <summary>
/// The response policy shared by every source: disable inline until the deadline, then hand whatever is unfinished or
/// came back transient to the incident queue as a <see cref="DisableMessage"/> carrying token ids only. Nothing but
/// Dynatrace is awaited before the answer: the leak rotation of a disabled managed credential is deferred to the queue
/// (<see cref="LeakRotationMessage"/>). The caller answers 2xx unless <see cref="ResponseOutcome.HandOffFailed"/>, in
/// which case it answers 5xx so the sender retries.
/// </summary>
public sealed partial class LeakResponder(
    IKillService kill,
    IIncidentQueue queue,
    SourceAudit audit,
    TokenFunctionsMetrics metrics,
    TimeProvider timeProvider,
    IOptions<SourcesOptions> options,
    ILogger<LeakResponder> logger,
    IIncidentLedger? ledger = null)
{
    /// <param name="batch">The leaks, normalised (<see cref="LeakBatch.Normalized"/>); an empty batch does nothing.</param>
    /// <param name="deadline">Cancelled at the inline deadline (started when the request arrived).</param>
    public async Task<ResponseOutcome> RespondAsync(LeakBatch batch, CancellationToken deadline)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Leaks.Count == 0)
        {
            return ResponseOutcome.Empty;
        }

        // Idempotent: the pipeline normalised already; a direct caller gets the same guarantee.
        batch = batch.Normalized();

        IReadOnlyList<TokenOutcome> outcomes = [];
        var expired = false;
        try
        {
            var result = await kill.DisableAsync(new KillRequest(batch.Leaks) { DeferLeakRotation = true }, deadline).ConfigureAwait(false);
            outcomes = result.Outcomes;
            expired = deadline.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            expired = true;
            LogDeadline(logger, batch.Source, batch.CorrelationId, batch.Leaks.Count);
        }
#pragma warning disable CA1031 // whatever the kill threw, the leak must still reach the queue
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogKillFailed(logger, batch.Source, batch.CorrelationId, e.GetType().Name, Redaction.Redact(e.Message));
        }

        var decided = outcomes.Where(o => !o.IsRetryable).Select(o => o.TokenId).ToHashSet();
        var pending = batch.Leaks.Select(l => l.TokenId).Where(id => !decided.Contains(id)).Distinct().ToList();
        if (pending.Count == 0)
        {
            return new ResponseOutcome(outcomes, [], false, expired);
        }

        // The queue resolves the alert only when everything it disables completes the alert: a token decided inline
        // as anything but disabled (not found, protected, denied, …) leaves the alert for a human, as inline.
        var message = Message(batch, pending, outcomes.Where(o => decided.Contains(o.TokenId)).All(IsDisabled) ? batch.GitHubAlert : null);
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
        var detail = expired ? "inline deadline passed" : "kill did not finish";
        await audit.TryWriteAsync(pending.Select(id => audit.Record(batch.Source, batch.CorrelationId, "handoff", outcome, id, detail)).ToList<AuditRecord>())
            .ConfigureAwait(false);
        return new ResponseOutcome(outcomes, handOffFailed ? [] : pending, handOffFailed, expired);
    }

    /// <summary>
    /// The leak rotation of the managed credentials disabled inline, which the kill deferred so no Key Vault call
    /// runs before the answer: a <c>rotate</c> message with <see cref="RotateMessage.Leaked"/> set, retried by the queue
    /// until Key Vault answers. Null when no token asked for one.
    /// </summary>
    public RotateMessage? LeakRotationMessage(LeakBatch batch, ResponseOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outcome);
        var ids = outcome.Outcomes.Where(o => o.LeakRotationPending).Select(o => o.TokenId.Value).Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 0 ? null : new RotateMessage
        {
            IncidentId = IncidentId(batch),
            TokenIds = ids,
            Leaked = true,
            Source = batch.Source,
            RequestedBy = batch.Source,
            Reason = batch.Reason,
            DetectedAt = batch.DetectedAt,
        };
    }

    /// <summary>
    /// Every token of the batch is disabled but its GitHub alert is still open (the follow-up budget cut the resolution, or
    /// GitHub failed): the resolution as a <c>disable</c> of those ids carrying the alert, which
    /// <see cref="GitHub.GitHubAlertFollowUp"/> resolves, retried until GitHub answers. The inline outcomes go to the
    /// incident ledger first, so the queue finds the tokens finished and only resolves the alert (no second round of
    /// Dynatrace calls); without the ledger the queue checks them again and finds them AlreadyDisabled. Null when there is
    /// no alert or nothing was disabled.
    /// </summary>
    public async Task<DisableMessage?> AlertResolutionMessageAsync(LeakBatch batch, ResponseOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(outcome);
        var disabled = outcome.Outcomes.Where(IsDisabled).DistinctBy(o => o.TokenId).ToList();
        if (batch.GitHubAlert is not { } alert || disabled.Count == 0)
        {
            return null;
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

        return message;
    }

    private static bool IsDisabled(TokenOutcome outcome) => outcome.Outcome is TokenOutcomeKind.Disabled or TokenOutcomeKind.AlreadyDisabled;

    private static string IncidentId(LeakBatch batch) => batch.Source + ":" + batch.CorrelationId;

    private static DisableMessage Message(LeakBatch batch, IReadOnlyList<TokenId> tokens, GitHubAlertReference? alert) => new()
    {
        IncidentId = IncidentId(batch),
        Tokens = [.. tokens.Select(id => id.Value)],
        Source = batch.Source,
        RequestedBy = batch.Source,
        Reason = batch.Reason,
        Location = batch.Location,
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

    [LoggerMessage(Level = LogLevel.Error, Message = "{Source} {CorrelationId}: kill failed ({ErrorType}: {Error}); handing off")]
    private static partial void LogKillFailed(ILogger logger, string source, string correlationId, string errorType, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} {CorrelationId}: {Count} token id(s) handed to the incident queue")]
    private static partial void LogQueued(ILogger logger, string source, string correlationId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Source} {CorrelationId}: could not record the inline outcomes in the incident ledger ({ErrorType}); the queue checks the tokens again")]
    private static partial void LogLedgerFailed(ILogger logger, string source, string correlationId, string errorType);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Source} {CorrelationId}: could not hand {Count} token id(s) to the incident queue ({ErrorType}: {Error}); answering 5xx")]
    private static partial void LogHandOffFailed(ILogger logger, string source, string correlationId, int count, string errorType, string? error);
}
