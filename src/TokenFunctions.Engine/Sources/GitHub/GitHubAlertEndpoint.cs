using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.KillSwitch;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Ledger;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>
/// Repository/organization/App webhook, event <c>secret_scanning_alert</c>. Order: size and content type → HMAC
/// (<c>X-Hub-Signature-256</c>) over the raw bytes → event and action filters → dedupe on <c>X-GitHub-Delivery</c> →
/// fetch the secret from the REST alert → disable inline (rest queued) → resolve the alert as revoked. The incident queue
/// resolves it (<see cref="GitHubAlertFollowUp"/>) once it has disabled a hand-off, and also when the inline deadline or a
/// GitHub failure cut the inline resolution, so an alert whose tokens are all disabled is always resolved eventually.
/// </summary>
public sealed partial class GitHubAlertEndpoint(
    WebhookIntake intake,
    IGitHubAlertClient gitHub,
    DeliveryGate deliveries,
    LeakResponder responder,
    SourceAudit audit,
    TokenFunctionsMetrics metrics,
    TimeProvider timeProvider,
    IOptions<GitHubAlertOptions> options,
    ILogger<GitHubAlertEndpoint> logger)
{
    public const string SignatureHeader = "X-Hub-Signature-256";
    public const string EventHeader = "X-GitHub-Event";
    public const string DeliveryHeader = "X-GitHub-Delivery";
    public const string AlertEvent = "secret_scanning_alert";
    private const string Source = SourceNames.GitHubAlert;

    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = new CancellationTokenSource(intake.Options.InlineDeadline, timeProvider);
        var read = await intake.ReadWithSecretAsync(request, Source, WebhookSecretNames.GitHubWebhookSecret, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return rejected;
        }

        if (intake.CheckSignature(Source, request.Headers[SignatureHeader].ToString(), read.AcceptedSecret.Utf8Values(), default, read.Body.Span) is { } refused)
        {
            return refused;
        }

        // Authentic from here on.
        var eventName = request.Headers[EventHeader].ToString();
        if (string.IsNullOrEmpty(eventName))
        {
            return WebhookResult.Error(400, "missing_event");
        }

        var deliveryId = request.Headers[DeliveryHeader].ToString();
        if (eventName == "ping")
        {
            return Summary(200, OutcomeSummary.Of("pong", deliveryId));
        }

        if (eventName != AlertEvent)
        {
            return Summary(200, OutcomeSummary.Of("ignored", deliveryId, "event"));
        }

        if (string.IsNullOrEmpty(deliveryId) || deliveryId.Length > 200)
        {
            return WebhookResult.Error(400, "missing_delivery_id");
        }

        GitHubAlertEvent? payload;
        try
        {
            payload = JsonSerializer.Deserialize(read.Body.Span, SourcesJsonContext.Default.GitHubAlertEvent);
        }
        catch (JsonException)
        {
            return WebhookResult.Error(400, "malformed_json");
        }

        var alertRef = GitHubAlertRef.From(payload?.Repository, payload?.Alert?.Number);
        if (payload?.Alert is not { } alert || alertRef is null || string.IsNullOrEmpty(payload.Action))
        {
            return WebhookResult.Error(400, "invalid_payload");
        }

        var settings = options.Value;
        if (!settings.EffectiveActions.Contains(payload.Action, StringComparer.Ordinal))
        {
            return Summary(200, OutcomeSummary.Of("ignored", deliveryId, "action"));
        }

        if (payload.Action == "validated" && settings.ValidatedRequiresActive
            && !string.Equals(alert.Validity, "active", StringComparison.OrdinalIgnoreCase))
        {
            return Summary(200, OutcomeSummary.Of("ignored", deliveryId, "validity"));
        }

        if (alert.SecretType is null || !settings.EffectiveSecretTypes.Contains(alert.SecretType, StringComparer.OrdinalIgnoreCase))
        {
            return Summary(200, OutcomeSummary.Of("ignored", deliveryId, "secret_type"));
        }

        var claim = await deliveries.ClaimAsync(Source, deliveryId, null, cancellationToken).ConfigureAwait(false);
        switch (claim.Status)
        {
            case ClaimStatus.AlreadyCompleted:
                return Summary(200, OutcomeSummary.Of("duplicate", deliveryId));
            case ClaimStatus.InProgress:
                return WebhookResult.Error(409, "delivery_in_progress", intake.Options.ClaimLease);
        }

        metrics.AlertReceived(Source);
        var completed = false;
        try
        {
            var result = await ActAsync(deliveryId, alertRef, alert, deadline.Token).ConfigureAwait(false);
            completed = result.StatusCode < 500;
            return result;
        }
        finally
        {
            await deliveries.SettleAsync(claim, completed).ConfigureAwait(false);
        }
    }

    private async Task<WebhookResult> ActAsync(string deliveryId, GitHubAlertRef alertRef, GitHubAlertSummary alert, CancellationToken deadline)
    {
        var fetched = await gitHub.GetSecretAsync(alertRef, deadline).ConfigureAwait(false);
        if (fetched.Status != GitHubFetchStatus.Ok)
        {
            // The secret is the only way to the token id: without it nothing can be disabled or queued, so the
            // sender must see a failure and the delivery stays claimable for a redelivery.
            LogFetchFailed(logger, deliveryId, alertRef.ToString(), fetched.Status.ToString(), fetched.HttpStatus);
            await audit.TryWriteAsync([audit.Record(Source, deliveryId, "fetch-alert", "Failed", detail: $"{alertRef}: GitHub {fetched.Status} (HTTP {fetched.HttpStatus})")])
                .ConfigureAwait(false);
            return WebhookResult.Error(502, "github_alert_unavailable");
        }

        if (fetched.Tokens.Count == 0)
        {
            var detail = fetched.HadSecret ? $"{alertRef}: the alert's secret is not a Dynatrace token" : $"{alertRef}: GitHub returned no secret";
            if (!await audit.TryWriteAsync([audit.Record(Source, deliveryId, "classify", "NeedsHuman", detail: detail)]).ConfigureAwait(false))
            {
                return WebhookResult.Error(503, "audit_unavailable");
            }

            return Summary(200, OutcomeSummary.From(deliveryId, ResponseOutcome.Empty, extraNeedsHuman: 1));
        }

        var leaks = fetched.Tokens.Select(token => Leak.FromSecret(token, Source, deliveryId) with
        {
            Location = alert.HtmlUrl ?? alertRef.ToString(),
            DetectedAt = alert.CreatedAt,
            Reason = "github secret scanning alert",
            RequestedBy = Source,
        }).ToList();
        var batch = new LeakBatch(Source, deliveryId, leaks)
        {
            Location = alert.HtmlUrl,
            DetectedAt = alert.CreatedAt,
            Reason = "github secret scanning alert",
            GitHubAlert = alertRef.ToReference(), // the queue resolves the alert when it finishes the hand-off
        };
        var outcome = await responder.RespondAsync(batch, deadline).ConfigureAwait(false);
        if (outcome.HandOffFailed
            || (outcome.AllDisabled && options.Value.ResolveAlerts && !await ResolveAsync(batch, alertRef, outcome, deadline).ConfigureAwait(false)))
        {
            return WebhookResult.Error(503, "handoff_failed", TimeSpan.FromSeconds(30));
        }

        return Summary(200, OutcomeSummary.From(deliveryId, outcome));
    }

    /// <summary>
    /// Resolves the alert inline while the deadline lasts; what the deadline cuts, or a GitHub failure, goes to the incident
    /// queue, which retries until GitHub answers. False only when that hand-off failed too.
    /// </summary>
    private async Task<bool> ResolveAsync(LeakBatch batch, GitHubAlertRef alertRef, ResponseOutcome outcome, CancellationToken deadline)
    {
        if (!deadline.IsCancellationRequested)
        {
            var comment = GitHubResolutionComment.Format(options.Value.ResolutionCommentTemplate, outcome.Outcomes.Select(o => o.TokenId.Value), batch.CorrelationId, Source);
            switch (await gitHub.ResolveRevokedAsync(alertRef, comment, deadline).ConfigureAwait(false))
            {
                case GitHubResolveStatus.Resolved:
                    return true;
                case GitHubResolveStatus.Refused:
                    // The token is dead and GitHub will not take the resolution for this alert: recorded for a human, not retried.
                    await audit.TryWriteAsync([audit.Record(Source, batch.CorrelationId, "resolve-alert", "Failed", detail: alertRef.ToString())]).ConfigureAwait(false);
                    return true;
            }
        }

        LogResolutionQueued(logger, batch.CorrelationId, alertRef.ToString());
        return await responder.HandOffAlertResolutionAsync(batch, outcome).ConfigureAwait(false);
    }

    private static WebhookResult Summary(int status, OutcomeSummary summary) =>
        WebhookResult.Json(status, summary.Status, summary, SourcesJsonContext.Default.OutcomeSummary);

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub delivery {DeliveryId}: alert {Alert} not resolved inline (deadline or GitHub); handing the resolution to the incident queue")]
    private static partial void LogResolutionQueued(ILogger logger, string deliveryId, string alert);

    [LoggerMessage(Level = LogLevel.Error, Message = "GitHub delivery {DeliveryId}: could not read alert {Alert} ({Status}, HTTP {HttpStatus}); answering 502")]
    private static partial void LogFetchFailed(ILogger logger, string deliveryId, string alert, string status, int httpStatus);
}
