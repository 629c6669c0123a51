using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Pipeline;
using TokenFunctions.Engine.Sources.Response;

namespace TokenFunctions.Engine.Sources.GitHub;

/// <summary>
/// Repository/organization/App webhook, event <c>secret_scanning_alert</c>. What differs from the other sources: HMAC
/// (<c>X-Hub-Signature-256</c>) over the raw bytes, event and action filters, dedupe on <c>X-GitHub-Delivery</c>, the
/// secret fetched from the REST alert, and the alert resolved as revoked once the answer is decided — inline within
/// <see cref="SourcesOptions.FollowUpBudget"/>, else by the incident queue (<see cref="GitHubAlertFollowUp"/>), so an
/// alert whose tokens are all disabled is always resolved eventually.
/// </summary>
public sealed partial class GitHubAlertEndpoint(
    WebhookPipeline pipeline,
    IGitHubAlertClient gitHub,
    LeakResponder responder,
    SourceAudit audit,
    IOptions<GitHubAlertOptions> options,
    ILogger<GitHubAlertEndpoint> logger) : WebhookSource(pipeline)
{
    public const string SignatureHeader = "X-Hub-Signature-256";
    public const string EventHeader = "X-GitHub-Event";
    public const string DeliveryHeader = "X-GitHub-Delivery";
    public const string AlertEvent = "secret_scanning_alert";
    public const int MaxDeliveryIdLength = 200;
    private const string Source = SourceNames.GitHubAlert;
    private const string AlertReason = "github secret scanning alert";

    public override string Name => Source;

    protected internal override async ValueTask<WebhookVerification> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var intake = Pipeline.Intake;
        var read = await intake.ReadWithSecretAsync(request, Source, WebhookSecretNames.GitHubWebhookSecret, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return WebhookVerification.Rejected(rejected);
        }

        return intake.CheckSignature(Source, request.Headers[SignatureHeader].ToString(), read.AcceptedSecret.Utf8Values(), default, read.Body.Span) is { } refused
            ? WebhookVerification.Rejected(refused)
            : WebhookVerification.Verified(read.Body);
    }

    protected internal override WebhookParse Parse(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        var eventName = request.Headers[EventHeader].ToString();
        if (string.IsNullOrEmpty(eventName))
        {
            return WebhookResult.Error(400, "missing_event");
        }

        var deliveryId = request.Headers[DeliveryHeader].ToString();
        if (eventName == "ping")
        {
            return Summary(OutcomeSummary.Of("pong", deliveryId));
        }

        if (eventName != AlertEvent)
        {
            return Summary(OutcomeSummary.Of("ignored", deliveryId, "event"));
        }

        if (string.IsNullOrEmpty(deliveryId) || deliveryId.Length > MaxDeliveryIdLength)
        {
            return WebhookResult.Error(400, "missing_delivery_id");
        }

        return ReadAlert(body, deliveryId);
    }

    /// <summary>A <c>secret_scanning_alert</c> event's body: the alert it names, if this deployment acts on it.</summary>
    private WebhookParse ReadAlert(ReadOnlyMemory<byte> body, string deliveryId)
    {
        GitHubAlertEvent? payload;
        try
        {
            payload = JsonSerializer.Deserialize(body.Span, SourcesJsonContext.Default.GitHubAlertEvent);
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

        if (WhyIgnored(payload.Action, alert) is { } ignored)
        {
            return Summary(OutcomeSummary.Of("ignored", deliveryId, ignored));
        }

        return new GitHubAlertReport
        {
            CorrelationId = deliveryId,
            ClaimKey = deliveryId,
            CountAsAlert = true,
            Alert = alertRef,
            Location = alert.HtmlUrl ?? alertRef.ToString(),
            DetectedAt = alert.CreatedAt,
            Reason = AlertReason,
            GitHubAlert = alertRef.ToReference(), // the queue resolves the alert when it finishes the hand-off
        };
    }

    /// <summary>Null when this deployment acts on the alert; otherwise what made it skip it (action, validity or secret type).</summary>
    private string? WhyIgnored(string action, GitHubAlertSummary alert)
    {
        var settings = options.Value;
        if (!settings.EffectiveActions.Contains(action, StringComparer.Ordinal))
        {
            return "action";
        }

        if (action == "validated" && settings.ValidatedRequiresActive
            && !string.Equals(alert.Validity, "active", StringComparison.OrdinalIgnoreCase))
        {
            return "validity";
        }

        return alert.SecretType is null || !settings.EffectiveSecretTypes.Contains(alert.SecretType, StringComparer.OrdinalIgnoreCase)
            ? "secret_type"
            : null;
    }

    /// <summary>The secret is the only way to the token id: without it nothing can be disabled or queued.</summary>
    protected internal override async ValueTask<WebhookLeaks> FindLeaksAsync(WebhookReport report, CancellationToken deadline)
    {
        var alertRef = ((GitHubAlertReport)report).Alert;
        var fetched = await gitHub.GetSecretAsync(alertRef, deadline).ConfigureAwait(false);
        if (fetched.Status != GitHubFetchStatus.Ok)
        {
            // The sender must see a failure and the delivery stays claimable for a redelivery.
            LogFetchFailed(logger, report.CorrelationId, alertRef.ToString(), fetched.Status.ToString(), fetched.HttpStatus);
            await audit.TryWriteAsync([audit.Record(Source, report.CorrelationId, "fetch-alert", "Failed", detail: $"{alertRef}: GitHub {fetched.Status} (HTTP {fetched.HttpStatus})")])
                .ConfigureAwait(false);
            return WebhookResult.Error(502, "github_alert_unavailable");
        }

        if (fetched.Tokens.Count == 0)
        {
            var detail = fetched.HadSecret ? $"{alertRef}: the alert's secret is not a Dynatrace token" : $"{alertRef}: GitHub returned no secret";
            if (!await audit.TryWriteAsync([audit.Record(Source, report.CorrelationId, "classify", "NeedsHuman", detail: detail)]).ConfigureAwait(false))
            {
                return WebhookResult.Error(503, "audit_unavailable");
            }

            return Summary(OutcomeSummary.From(report.CorrelationId, ResponseOutcome.Empty, extraNeedsHuman: 1));
        }

        return fetched.Tokens.Select(token => Leak.FromSecret(token, Source, report.CorrelationId) with
        {
            Location = report.Location,
            DetectedAt = report.DetectedAt,
            Reason = AlertReason,
            RequestedBy = Source,
        }).ToList();
    }

    protected internal override WebhookResult Answer(WebhookReport report, ResponseOutcome outcome) =>
        Summary(OutcomeSummary.From(report.CorrelationId, outcome));

    /// <summary>
    /// Resolves the alert inline within <paramref name="budget"/> once every token is disabled; what the budget cuts, or
    /// a GitHub failure, becomes a queued resolution that the queue retries until GitHub answers.
    /// </summary>
    protected internal override async ValueTask<IncidentMessage?> FollowUpAsync(WebhookReport report, LeakBatch batch, ResponseOutcome outcome, CancellationToken budget)
    {
        var alert = ((GitHubAlertReport)report).Alert;
        if (!outcome.AllDisabled || !options.Value.ResolveAlerts)
        {
            return null;
        }

        if (!budget.IsCancellationRequested)
        {
            var comment = GitHubResolutionComment.Format(options.Value.ResolutionCommentTemplate, outcome.Outcomes.Select(o => o.TokenId.Value), batch.CorrelationId, Source);
            switch (await gitHub.ResolveRevokedAsync(alert, comment, budget).ConfigureAwait(false))
            {
                case GitHubResolveStatus.Resolved:
                    return null;
                case GitHubResolveStatus.Refused:
                    // The token is dead and GitHub will not take the resolution for this alert: recorded for a human, not retried.
                    await audit.TryWriteAsync([audit.Record(Source, batch.CorrelationId, "resolve-alert", "Failed", detail: alert.ToString())]).ConfigureAwait(false);
                    return null;
            }
        }

        LogResolutionQueued(logger, batch.CorrelationId, alert.ToString());
        return await responder.AlertResolutionMessageAsync(batch, outcome).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "GitHub delivery {DeliveryId}: alert {Alert} not resolved inline (budget or GitHub); handing the resolution to the incident queue")]
    private static partial void LogResolutionQueued(ILogger logger, string deliveryId, string alert);

    [LoggerMessage(Level = LogLevel.Error, Message = "GitHub delivery {DeliveryId}: could not read alert {Alert} ({Status}, HTTP {HttpStatus}); answering 502")]
    private static partial void LogFetchFailed(ILogger logger, string deliveryId, string alert, string status, int httpStatus);
}
