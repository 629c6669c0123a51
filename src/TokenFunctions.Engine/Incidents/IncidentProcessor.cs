using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Incidents.Handlers;
using TokenFunctions.Engine.Incidents.Ledger;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// Decides what happens to one delivery of an incident-queue message. Invalid messages are dead-lettered at once with a
/// stable reason and no Dynatrace call. Valid ones run under a lease on durable progress: work is bounded per delivery,
/// finished tokens are recorded in the ledger, and the decision is Complete or a dead letter listing what remains. Work
/// left over is continued by a copy of the message scheduled on the queue (<see cref="IIncidentMessageSender"/> with
/// <see cref="OutgoingIncidentMessage.ScheduledEnqueueTime"/>) and the original completed: at once when only the budget ran
/// out, after an exponential backoff with jitter when tokens or a follow-up failed transiently
/// (<see cref="IncidentRetryOptions"/>), until the retry horizon; past it the message is dead-lettered
/// <c>RetriesExhausted</c>. Without a sender (the CLI), or when the send fails, the delivery is abandoned instead and
/// Service Bus redelivers it, up to <see cref="IncidentsOptions.MaxDeliveryCount"/>.
/// </summary>
public sealed class IncidentProcessor
{
    public const string PropertyPrefix = "tf-";

    private static readonly IReadOnlyDictionary<string, object> EmptyProperties = new Dictionary<string, object>();

    private readonly IncidentMessageParser _parser;
    private readonly IIncidentProgressStore _progress;
    private readonly IIncidentLedger _ledger;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<IncidentsOptions> _options;
    private readonly ILogger _logger;
    private readonly IncidentHandlers _handlers;
    private readonly IReadOnlyList<IIncidentFollowUp> _followUps;
    private readonly IncidentMessageSerializer? _serializer;
    private readonly IIncidentMessageSender? _sender;

    public IncidentProcessor(
        IncidentMessageParser parser,
        IIncidentProgressStore progress,
        IIncidentLedger ledger,
        IncidentHandlers handlers,
        TokenFunctionsMetrics metrics,
        TimeProvider time,
        IOptionsMonitor<IncidentsOptions> options,
        ILogger<IncidentProcessor> logger,
        IEnumerable<IIncidentFollowUp>? followUps = null,
        IncidentMessageSerializer? serializer = null,
        IIncidentMessageSender? sender = null)
    {
        _parser = parser;
        _progress = progress;
        _ledger = ledger;
        _handlers = handlers;
        _metrics = metrics;
        _time = time;
        _options = options;
        _logger = logger;
        _serializer = serializer;
        _sender = serializer is null ? null : sender;
        _followUps = [.. followUps ?? []];
    }

    public async Task<SettlementDecision> ProcessAsync(IncomingIncidentMessage delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var options = _options.CurrentValue;
        var parsed = _parser.Parse(delivery.Body);
        if (!parsed.IsValid)
        {
            IncidentLog.Refused(_logger, delivery.MessageId, delivery.DeliveryCount, parsed.Error.Reason, parsed.Error.Description);
            return DeadLetter(parsed.Error, EmptyProperties);
        }

        try
        {
            return await ProcessValidAsync(parsed.Message, delivery, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // A bug or an unreachable store. Logged without the exception object: its message could quote a response.
            IncidentLog.Unexpected(_logger, delivery.MessageId, delivery.DeliveryCount, ex.GetType().FullName ?? ex.GetType().Name, Redaction.Redact(ex.ToString()));
            var properties = new Dictionary<string, object> { [PropertyPrefix + "error"] = ex.GetType().Name };
            return IsFinal(delivery, options)
                ? DeadLetter(new IncidentMessageError(DeadLetterReasons.ProcessingError, string.Create(
                    CultureInfo.InvariantCulture,
                    $"Incident {parsed.Message.IncidentId}: an unexpected {ex.GetType().Name} on delivery {delivery.DeliveryCount} of {options.MaxDeliveryCount}. Search the logs for message {delivery.MessageId}, fix the cause (often the incident storage), then resubmit: finished tokens are skipped.")), properties)
                : new SettlementDecision.Abandon(properties, $"unexpected {ex.GetType().Name}; retrying");
        }
    }

    private async Task<SettlementDecision> ProcessValidAsync(IncidentMessage message, IncomingIncidentMessage delivery, IncidentsOptions options, CancellationToken cancellationToken)
    {
        var workId = IncidentMessageSerializer.WorkIdOf(message);
        var type = IncidentMessageSerializer.TypeName(message);
        var handler = _handlers.For(message);

        var progress = await AcquireAsync(message, workId, type, delivery, options, cancellationToken).ConfigureAwait(false);
        if (progress.Duplicate is { } duplicate)
        {
            IncidentLog.Duplicate(_logger, message.IncidentId, workId, delivery.MessageId, duplicate);
            return new SettlementDecision.Complete($"duplicate of {duplicate} work {workId} for incident {message.IncidentId}; nothing done");
        }

        if (progress.Acquired is not { } acquired)
        {
            return IsFinal(delivery, options)
                ? DeadLetter(new IncidentMessageError(DeadLetterReasons.ProcessingError, $"Incident {message.IncidentId}: could not take the work lease (the progress store kept changing). Resubmit this message."), EmptyProperties)
                : new SettlementDecision.Abandon(EmptyProperties, "could not take the work lease; retrying");
        }

        var action = handler.LedgerAction(message);
        var finished = await _ledger.GetFinishedAsync(message.IncidentId, action, cancellationToken).ConfigureAwait(false);
        var work = new IncidentWork(message, delivery, acquired, action, finished, _progress, _ledger, _time, options);
        var outcome = await handler.RunAsync(work, cancellationToken).ConfigureAwait(false);
        return await SettleAsync(work, outcome, workId, type, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(IncidentProgress? Acquired, string? Duplicate)> AcquireAsync(
        IncidentMessage message, string workId, string type, IncomingIncidentMessage delivery, IncidentsOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = _time.GetUtcNow();
            var leaseUntil = now + options.WorkBudgetPerDelivery + options.LeaseGrace;
            var current = await _progress.GetAsync(message.IncidentId, workId, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                if (await TryStartAsync(message, workId, type, delivery, now, leaseUntil, cancellationToken).ConfigureAwait(false) is { } created)
                {
                    return (created, null);
                }

                continue;
            }

            if (current.State == IncidentProgressState.Completed)
            {
                return (null, "completed");
            }

            // Another message with the same content is working on it right now: that one will finish the work.
            if (current.LeaseOwner != delivery.MessageId && current.LeaseUntil > now)
            {
                return (null, "in-progress");
            }

            if (await TryTakeLeaseAsync(current, delivery, now, leaseUntil, cancellationToken).ConfigureAwait(false) is { } taken)
            {
                return (taken, null);
            }
        }

        return (null, null);
    }

    /// <summary>The first delivery of this work: its progress, leased to this delivery. Null when another saved it first.</summary>
    private async Task<IncidentProgress?> TryStartAsync(
        IncidentMessage message, string workId, string type, IncomingIncidentMessage delivery, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var created = await _progress.TrySaveAsync(
            new IncidentProgress
            {
                IncidentId = message.IncidentId,
                WorkId = workId,
                MessageType = type,
                LeaseOwner = delivery.MessageId,
                LeaseUntil = leaseUntil,
                Deliveries = 1,
                CreatedAt = now,
                UpdatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);

        // A leak rotation handed over after a disable is that alert's follow-up, not another alert.
        if (created is not null && message is not RotateMessage { Leaked: true })
        {
            _metrics.AlertReceived(IncidentLeaks.DefaultSource);
        }

        return created;
    }

    /// <summary>Takes the lease on existing progress (a redelivery, or an expired lease). Null when another changed it first.</summary>
    private async Task<IncidentProgress?> TryTakeLeaseAsync(
        IncidentProgress current, IncomingIncidentMessage delivery, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var restart = current.State == IncidentProgressState.DeadLettered;
        return await _progress.TrySaveAsync(
            current with
            {
                State = IncidentProgressState.InProgress,
                LeaseOwner = delivery.MessageId,
                LeaseUntil = leaseUntil,
                Deliveries = current.Deliveries + 1,
                UpdatedAt = now,

                // A resubmitted dead letter starts listing again; the ledger skips what was finished.
                Cursors = restart ? [] : current.Cursors,
                NeedsHuman = restart ? [] : current.NeedsHuman,
                NeedsHumanCount = restart ? 0 : current.NeedsHumanCount,
                RetryAttempts = restart ? 0 : current.RetryAttempts,
                RetrySince = restart ? null : current.RetrySince,
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<SettlementDecision> SettleAsync(IncidentWork work, WorkOutcome outcome, string workId, string type, IncidentsOptions options, CancellationToken cancellationToken)
    {
        var message = work.Message;
        var delivery = work.Delivery;
        if (outcome.LeaseLost)
        {
            IncidentLog.LeaseLost(_logger, message.IncidentId, workId, delivery.MessageId);
            return new SettlementDecision.Complete($"another delivery took over work {workId} for incident {message.IncidentId}");
        }

        var p = work.Progress;
        var properties = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [PropertyPrefix + "incident-id"] = message.IncidentId,
            [PropertyPrefix + "work-id"] = workId,
            [PropertyPrefix + "deliveries"] = p.Deliveries,
            [PropertyPrefix + "succeeded"] = p.Succeeded,
            [PropertyPrefix + "settled"] = p.Settled,
            [PropertyPrefix + "needs-human"] = p.NeedsHumanCount,
            [PropertyPrefix + "failing"] = outcome.Failing.Count,
        };

        var now = _time.GetUtcNow();
        var (decision, state, continuation) = await DecideAsync(work, outcome, type, now, properties, options, cancellationToken).ConfigureAwait(false);
        return await RecordSettlementAsync(work, outcome, workId, type, now, decision, state, continuation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What this delivery's outcome means: a dead letter, a continuation (or redelivery) for the work that remains, or
    /// completion. The follow-ups of a finished disable run here, before its completion is saved.
    /// </summary>
    private async Task<(SettlementDecision Decision, IncidentProgressState State, Continuation? Next)> DecideAsync(
        IncidentWork work, WorkOutcome outcome, string type, DateTimeOffset now, Dictionary<string, object> properties, IncidentsOptions options, CancellationToken cancellationToken)
    {
        var message = work.Message;
        var p = work.Progress;
        SettlementDecision decision;
        IncidentProgressState state;
        Continuation? continuation = null;
        if (outcome.Terminal is { } terminal)
        {
            (decision, state) = (DeadLetter(terminal with { Description = $"Incident {message.IncidentId}: {terminal.Description}" }, properties), IncidentProgressState.DeadLettered);
        }
        else if (outcome.WorkRemains)
        {
            var failing = outcome.Failing.Count > 0;
            var why = failing
                ? string.Create(CultureInfo.InvariantCulture, $"{outcome.Failing.Count:N0} token(s) failed transiently")
                : "work budget spent";
            properties[PropertyPrefix + "last-result"] = why;
            (decision, state, continuation) = cancellationToken.IsCancellationRequested
                ? RedeliveryRules(work, why, properties, options, () => RemainingText(work, outcome, options))
                : Continue(work, failing, now, why, properties, options, () => RemainingText(work, outcome, options));
        }
        else if (p.NeedsHumanCount > 0)
        {
            (decision, state) = (DeadLetter(new IncidentMessageError(DeadLetterReasons.NeedsHuman, NeedsHumanText(work)), properties), IncidentProgressState.DeadLettered);
        }
        else if (await RunFollowUpsAsync(work, cancellationToken).ConfigureAwait(false) is { } pending)
        {
            // Before the completion is saved, so a crash here repeats the follow-up instead of losing it.
            properties[PropertyPrefix + "last-result"] = "follow-up pending";
            (decision, state, continuation) = Continue(
                work, failing: true, now, $"every token is disabled but {pending}; the continuation skips the tokens and tries again", properties, options, () => FollowUpText(work, pending, options));
        }
        else
        {
            (decision, state) = (new SettlementDecision.Complete(string.Create(CultureInfo.InvariantCulture, $"incident {message.IncidentId} {type} finished: {p.Succeeded:N0} succeeded, {p.Settled:N0} settled")), IncidentProgressState.Completed);
        }

        return (decision, state, continuation);
    }

    /// <summary>
    /// Saves the decision with the progress (the lease released), then sends the continuation if there is one, and logs
    /// the settlement. A lost save means another delivery took the work over: this one completes without acting.
    /// </summary>
    private async Task<SettlementDecision> RecordSettlementAsync(
        IncidentWork work, WorkOutcome outcome, string workId, string type, DateTimeOffset now, SettlementDecision decision, IncidentProgressState state, Continuation? continuation, CancellationToken cancellationToken)
    {
        var message = work.Message;
        var delivery = work.Delivery;
        var p = work.Progress;

        // A run of failures ends when a delivery leaves nothing failing: the next outage gets the whole horizon again.
        (int Attempts, DateTimeOffset? Since) retry = continuation is { Backoff: true }
            ? (continuation.Attempt, p.RetrySince ?? now)
            : state == IncidentProgressState.InProgress ? (0, null) : (p.RetryAttempts, p.RetrySince);
        var settlement = decision is SettlementDecision.DeadLetter d ? d.Reason : continuation is null ? decision.GetType().Name : "Continued";
        var saved = await _progress.TrySaveAsync(
            p with { State = state, LeaseUntil = now, UpdatedAt = now, LastSettlement = settlement, RetryAttempts = retry.Attempts, RetrySince = retry.Since },
            cancellationToken).ConfigureAwait(false);
        if (saved is null)
        {
            IncidentLog.LeaseLost(_logger, message.IncidentId, workId, delivery.MessageId);
            return new SettlementDecision.Complete($"another delivery took over work {workId} for incident {message.IncidentId}");
        }

        // After the save, so the continuation never finds progress older than what this delivery did.
        if (continuation is not null)
        {
            decision = await ScheduleAsync(work, continuation, cancellationToken).ConfigureAwait(false);
            settlement = decision switch
            {
                SettlementDecision.Complete => "Continued",
                SettlementDecision.DeadLetter dead => dead.Reason,
                _ => decision.GetType().Name,
            };
        }

        IncidentLog.Settled(_logger, message.IncidentId, workId, type, delivery.MessageId, delivery.DeliveryCount, settlement, p.Succeeded, p.Settled, p.NeedsHumanCount, outcome.Failing.Count);
        return decision;
    }

    /// <summary>
    /// Work remains: a continuation at once (budget spent) or after the next backoff delay (something failed), or the dead
    /// letter when that delay would pass the horizon. Without a sender, or on the last delivery Service Bus allows, the
    /// old rules: abandon for a redelivery, dead-letter on the last one.
    /// </summary>
    private (SettlementDecision Decision, IncidentProgressState State, Continuation? Next) Continue(
        IncidentWork work, bool failing, DateTimeOffset now, string why, Dictionary<string, object> properties, IncidentsOptions options, Func<string> remaining)
    {
        var p = work.Progress;
        if (!failing)
        {
            return _sender is null
                ? RedeliveryRules(work, why, properties, options, remaining)
                : (Pending(properties, why), IncidentProgressState.InProgress, new Continuation(now, p.RetryAttempts, Backoff: false, why, properties, () => Fallback(work, why, properties, options, remaining)));
        }

        var attempt = p.RetryAttempts + 1;
        var since = p.RetrySince ?? now;
        var at = RetrySchedule.Next(options.Retry, now, since, attempt, Random.Shared.NextDouble());
        if (at is null)
        {
            var rode = string.Create(CultureInfo.InvariantCulture, $" Retried {attempt - 1:N0} time(s) over {(now - since).TotalHours:0.#} h; the retry horizon (Incidents:Retry:Horizon, {options.Retry.Horizon.TotalHours:0.#} h) is reached.");
            return (DeadLetter(new IncidentMessageError(DeadLetterReasons.RetriesExhausted, Bound(remaining() + rode)), properties), IncidentProgressState.DeadLettered, null);
        }

        if (_sender is null)
        {
            return RedeliveryRules(work, why, properties, options, remaining);
        }

        properties[PropertyPrefix + "retry-attempt"] = attempt;
        properties[PropertyPrefix + "retry-at"] = at.Value.ToString("O", CultureInfo.InvariantCulture);
        return (Pending(properties, why), IncidentProgressState.InProgress, new Continuation(at.Value, attempt, Backoff: true, why, properties, () => Fallback(work, why, properties, options, remaining)));
    }

    /// <summary>Stands for the decision until the continuation is sent (then Complete) or refused (then its fallback).</summary>
    private static SettlementDecision.Abandon Pending(Dictionary<string, object> properties, string why) =>
        new(properties, $"{why}; progress saved, the redelivery continues");

    /// <summary>Without a continuation: abandon, so Service Bus redelivers at once; on its last allowed delivery, the dead letter.</summary>
    private (SettlementDecision Decision, IncidentProgressState State, Continuation? Next) RedeliveryRules(
        IncidentWork work, string why, Dictionary<string, object> properties, IncidentsOptions options, Func<string> remaining) =>
        IsFinal(work.Delivery, options)
            ? (DeadLetter(new IncidentMessageError(DeadLetterReasons.RetriesExhausted, remaining()), properties), IncidentProgressState.DeadLettered, null)
            : (new SettlementDecision.Abandon(properties, $"{why}; progress saved, the redelivery continues"), IncidentProgressState.InProgress, null);

    /// <summary>
    /// What happens when the continuation cannot be sent: abandon for a redelivery, or on the last delivery Service Bus
    /// allows, the explicit dead letter (Service Bus would otherwise dead-letter it with a generic reason).
    /// </summary>
    private SettlementDecision Fallback(IncidentWork work, string why, Dictionary<string, object> properties, IncidentsOptions options, Func<string> remaining) =>
        IsFinal(work.Delivery, options)
            ? DeadLetter(new IncidentMessageError(DeadLetterReasons.RetriesExhausted, Bound(remaining() + " The continuation could not be queued (Service Bus refused it) on the last delivery Service Bus allows.")), properties)
            : new SettlementDecision.Abandon(properties, $"{why}; progress saved, the redelivery continues");

    /// <summary>
    /// Sends the continuation (the same canonical body, so the same work id and progress; a message id of its own, so
    /// duplicate detection does not drop it) and completes this delivery. When the send fails, the continuation's
    /// fallback: the delivery is abandoned and Service Bus redelivers it at once (dead-lettered on its last delivery).
    /// </summary>
    private async Task<SettlementDecision> ScheduleAsync(IncidentWork work, Continuation next, CancellationToken cancellationToken)
    {
        var outgoing = _serializer!.Serialize(work.Message);
        // The progress properties (tf-succeeded, tf-failing, tf-last-result, tf-retry-at, …) travel on the scheduled
        // continuation, so whoever looks at the queue during an outage sees what is being ridden out and until when.
        var properties = new Dictionary<string, object>(outgoing.ApplicationProperties, StringComparer.Ordinal);
        foreach (var (key, value) in next.Progress)
        {
            properties[key] = value;
        }

        properties[PropertyPrefix + "continues"] = work.Delivery.MessageId;
        properties[PropertyPrefix + "retry-attempt"] = next.Attempt;
        var continuation = outgoing with
        {
            MessageId = string.Create(CultureInfo.InvariantCulture, $"{outgoing.MessageId}:c{work.Progress.Deliveries}"),
            ApplicationProperties = properties,
            ScheduledEnqueueTime = next.Backoff ? next.At : null,
        };
        try
        {
            await _sender!.SendAsync(continuation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            IncidentLog.ContinuationFailed(_logger, work.IncidentId, work.Delivery.MessageId, ex.GetType().Name);
            return next.Fallback();
        }

        IncidentLog.Continued(_logger, work.IncidentId, work.Delivery.MessageId, continuation.MessageId, next.At, next.Attempt, next.Why);
        return new SettlementDecision.Complete(string.Create(
            CultureInfo.InvariantCulture,
            $"{next.Why}; continued by message {continuation.MessageId} at {next.At:O} (retry attempt {next.Attempt})"));
    }

    private sealed record Continuation(DateTimeOffset At, int Attempt, bool Backoff, string Why, IReadOnlyDictionary<string, object> Progress, Func<SettlementDecision> Fallback);

    /// <summary>
    /// Runs the follow-ups of a finished, real <c>disable</c> whose every token the ledger holds as <c>Disabled</c> or
    /// <c>AlreadyDisabled</c>, before its completion is saved. Returns why one must run again (secret-free), or null when
    /// all are done. An exception is a bug: logged (redacted), it never changes the settlement.
    /// </summary>
    private async Task<string?> RunFollowUpsAsync(IncidentWork work, CancellationToken cancellationToken)
    {
        if (_followUps.Count == 0 || work.Message is not DisableMessage { DryRun: false } message)
        {
            return null;
        }

        var ids = IncidentLeaks.FromDisable(message, work.Delivery.EnqueuedTime).Select(l => l.TokenId).ToList();
        if (ids.Count == 0 || !ids.All(id => work.FinishedOutcome(id) is nameof(TokenOutcomeKind.Disabled) or nameof(TokenOutcomeKind.AlreadyDisabled)))
        {
            return null;
        }

        var pending = new List<string>();
        foreach (var followUp in _followUps)
        {
            try
            {
                var result = await followUp.RunAsync(message, ids, cancellationToken).ConfigureAwait(false);
                if (result.RetryReason is { } reason)
                {
                    IncidentLog.FollowUpPending(_logger, message.IncidentId, followUp.GetType().Name, work.Delivery.DeliveryCount, Redaction.Redact(reason));
                    pending.Add(Redaction.Redact(reason)!);
                }
            }
#pragma warning disable CA1031 // a throwing follow-up is a bug: it may not fail, abandon or dead-letter the message
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
#pragma warning restore CA1031
            {
                IncidentLog.FollowUpFailed(_logger, message.IncidentId, followUp.GetType().Name, ex.GetType().FullName ?? ex.GetType().Name, Redaction.Redact(ex.Message));
            }
        }

        return pending.Count == 0 ? null : string.Join("; ", pending);
    }

    private static string FollowUpText(IncidentWork work, string pending, IncidentsOptions options) => Bound(string.Create(
        CultureInfo.InvariantCulture,
        $"Incident {work.IncidentId}: every token is disabled, but after delivery {work.Delivery.DeliveryCount} of {options.MaxDeliveryCount} this is still not done: {pending}. Resubmit this message to try again (its tokens are skipped, nothing is disabled twice), or do it by hand."));

    private static string RemainingText(IncidentWork work, WorkOutcome outcome, IncidentsOptions options)
    {
        var p = work.Progress;
        var parts = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"Incident {work.IncidentId}: work remained after delivery {work.Delivery.DeliveryCount} of {options.MaxDeliveryCount}."),
        };
        if (outcome.Failing.Count > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{outcome.Failing.Count:N0} token(s) still failing transiently: {DescriptionText.JoinBounded(outcome.Failing.Select(t => t.Value), 1800)}."));
        }

        if (outcome.Unfinished.Count > 0)
        {
            parts.Add($"Not finished: {DescriptionText.JoinBounded(outcome.Unfinished, 800)}.");
        }

        if (outcome.BudgetSpent)
        {
            parts.Add("The work budget per delivery ran out (Incidents:WorkBudgetPerDelivery).");
        }

        if (p.NeedsHumanCount > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{p.NeedsHumanCount:N0} item(s) also need a human: {DescriptionText.JoinBounded(p.NeedsHuman, 500)}."));
        }

        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{p.Succeeded:N0} token(s) done so far. Check Dynatrace availability, then resubmit this message: finished tokens are skipped."));
        return Bound(string.Join(' ', parts));
    }

    private static string NeedsHumanText(IncidentWork work)
    {
        var p = work.Progress;
        return Bound(string.Create(
            CultureInfo.InvariantCulture,
            $"Incident {work.IncidentId}: {p.NeedsHumanCount:N0} item(s) need a human: {DescriptionText.JoinBounded(p.NeedsHuman, 3000)}. {p.Succeeded:N0} token(s) done, {p.Settled:N0} settled. Fix the credential or its scopes (or disable these tokens in Dynatrace by hand), then resubmit this message to retry them: finished tokens are skipped."));
    }

    private static string Bound(string text) =>
        text.Length <= SettlementDecision.DeadLetter.MaxDescriptionLength ? text : text[..(SettlementDecision.DeadLetter.MaxDescriptionLength - 1)] + "…";

    private SettlementDecision.DeadLetter DeadLetter(IncidentMessageError error, IReadOnlyDictionary<string, object> properties)
    {
        _metrics.DeadLetter(error.Reason);

        // Every description is built from contract field names, token ids and counts; redacting again costs nothing.
        return new SettlementDecision.DeadLetter(error.Reason, Bound(Redaction.Redact(error.Description) ?? string.Empty), properties);
    }

    private static bool IsFinal(IncomingIncidentMessage delivery, IncidentsOptions options) => delivery.DeliveryCount >= options.MaxDeliveryCount;
}
