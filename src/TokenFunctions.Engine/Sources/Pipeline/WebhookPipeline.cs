using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Sources.Deliveries;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Sources.Pipeline;

/// <summary>
/// The one skeleton every webhook runs: inline deadline → verification over the raw bytes → parse (400 says why) →
/// claim the delivery → normalise the leaks into what the incident contract accepts → disable inline, hand the rest to
/// the queue → answer → follow-ups → settle the claims. Status rules live here once:
/// <list type="bullet">
/// <item>a hand-off of unfinished tokens that failed is 503 with <c>Retry-After</c>, and every claim is released so the
/// sender's redelivery acts;</item>
/// <item>once every token is disabled or durably queued the answer is 2xx, whatever happens to the follow-ups (alert
/// resolution, leak rotation): they go to the queue, and what the queue does not take at once is retried in the
/// background by <see cref="FollowUpHandOff"/>;</item>
/// <item>any answer below 500 completes the claims; 5xx releases them.</item>
/// </list>
/// </summary>
public sealed class WebhookPipeline(
    WebhookIntake intake,
    DeliveryGate deliveries,
    LeakResponder responder,
    FollowUpHandOff followUps,
    TokenFunctionsMetrics metrics,
    TimeProvider timeProvider)
{
    /// <summary>How long a sender whose alert could not be handed off waits before retrying.</summary>
    public static readonly TimeSpan HandOffRetryAfter = TimeSpan.FromSeconds(30);

    private static readonly WebhookResult Unhandled = WebhookResult.Error(500, "unhandled");

    public WebhookIntake Intake => intake;

    public async Task<IActionResult> RunAsync(WebhookSource source, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = new CancellationTokenSource(intake.Options.InlineDeadline, timeProvider);
        var verified = await source.VerifyAsync(request, cancellationToken).ConfigureAwait(false);
        if (verified.Rejection is { } rejected)
        {
            return rejected;
        }

        // Most deliveries are answered from the body alone (ignored events, 400s): no claim set, no second frame.
        WebhookParse parsed;
        try
        {
            parsed = source.Parse(request, verified.Body);
        }
        catch when (verified.Claim is not null)
        {
            await deliveries.SettleAsync(verified.Claim, handled: false).ConfigureAwait(false);
            throw;
        }

        if (parsed.Answer is { } answer)
        {
            if (verified.Claim is { } replay)
            {
                await deliveries.SettleAsync(replay, handled: answer.StatusCode < 500).ConfigureAwait(false);
            }

            return answer;
        }

        var claims = new ClaimSet(verified.Claim);
        var result = Unhandled;
        try
        {
            return result = await ActAsync(source, parsed.Report!, claims, deadline.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await claims.SettleAsync(deliveries, handled: result.StatusCode < 500).ConfigureAwait(false);
        }
    }

    private async Task<WebhookResult> ActAsync(WebhookSource source, WebhookReport report, ClaimSet claims, CancellationToken deadline, CancellationToken cancellationToken)
    {
        if (report.ClaimKey is { } key)
        {
            var claim = await deliveries.ClaimAsync(source.Name, key, null, cancellationToken).ConfigureAwait(false);
            switch (claim.Status)
            {
                case ClaimStatus.AlreadyCompleted:
                    return source.Duplicate(report);
                case ClaimStatus.InProgress:
                    return WebhookResult.Error(409, report.InProgressReason, intake.Options.ClaimLease);
            }

            claims.Add(claim);
        }

        if (report.CountAsAlert)
        {
            metrics.AlertReceived(source.Name);
        }

        var found = await source.FindLeaksAsync(report, deadline).ConfigureAwait(false);
        if (found.Answer is { } early)
        {
            return early;
        }

        var leaks = found.Leaks ?? [];
        if (report.LeakClaimRetention is { } retention)
        {
            leaks = await ClaimEachAsync(source.Name, leaks, retention, claims, cancellationToken).ConfigureAwait(false);
        }

        if (!report.CountAsAlert && leaks.Count > 0)
        {
            metrics.AlertReceived(source.Name);
        }

        var batch = new LeakBatch(source.Name, report.CorrelationId, leaks)
        {
            Reason = report.Reason,
            Location = report.Location,
            DetectedAt = report.DetectedAt,
            Environment = report.Environment,
            GitHubAlert = report.GitHubAlert,
        }.Normalized();
        var outcome = await responder.RespondAsync(batch, deadline).ConfigureAwait(false);
        if (outcome.HandOffFailed)
        {
            return WebhookResult.Error(503, "handoff_failed", HandOffRetryAfter);
        }

        await FollowUpAsync(source, report, batch, outcome, deadline).ConfigureAwait(false);
        return source.Answer(report, outcome);
    }

    /// <summary>
    /// After the answer is decided: the source's own follow-up, bounded by what is left of the inline deadline and by
    /// <see cref="SourcesOptions.FollowUpBudget"/>, then the hand-offs of what must finish in the queue (leak rotation of
    /// the tokens disabled inline, the source's follow-up). Nothing here changes the answer.
    /// </summary>
    private async Task FollowUpAsync(WebhookSource source, WebhookReport report, LeakBatch batch, ResponseOutcome outcome, CancellationToken deadline)
    {
        var rotation = responder.LeakRotationMessage(batch, outcome);
        IncidentMessage? own;
        using (var budget = CancellationTokenSource.CreateLinkedTokenSource(deadline))
        {
            budget.CancelAfter(intake.Options.FollowUpBudget);
            own = await source.FollowUpAsync(report, batch, outcome, budget.Token).ConfigureAwait(false);
        }

        if (rotation is not null)
        {
            await followUps.HandOffAsync(batch, rotation).ConfigureAwait(false);
        }

        if (own is not null)
        {
            await followUps.HandOffAsync(batch, own).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<Leak>> ClaimEachAsync(string source, IReadOnlyList<Leak> leaks, TimeSpan retention, ClaimSet claims, CancellationToken cancellationToken)
    {
        var kept = new List<Leak>(leaks.Count);
        foreach (var leak in leaks)
        {
            var claim = await deliveries.ClaimAsync(source, "fp:" + (leak.Fingerprint ?? leak.TokenId.Value), retention, cancellationToken).ConfigureAwait(false);
            if (claim.Status != ClaimStatus.Claimed)
            {
                continue; // reported before (or being handled right now): idempotent
            }

            claims.Add(claim);
            kept.Add(leak);
        }

        return kept;
    }

    /// <summary>The claims one request took; most requests take none or one, so nothing is allocated for them.</summary>
    private sealed class ClaimSet(DeliveryClaim? first)
    {
        private DeliveryClaim? _first = first;
        private List<DeliveryClaim>? _more;

        public void Add(DeliveryClaim claim)
        {
            if (_first is null)
            {
                _first = claim;
                return;
            }

            (_more ??= []).Add(claim);
        }

        public async Task SettleAsync(DeliveryGate gate, bool handled)
        {
            if (_first is not null)
            {
                await gate.SettleAsync(_first, handled).ConfigureAwait(false);
            }

            foreach (var claim in _more ?? [])
            {
                await gate.SettleAsync(claim, handled).ConfigureAwait(false);
            }
        }
    }
}
