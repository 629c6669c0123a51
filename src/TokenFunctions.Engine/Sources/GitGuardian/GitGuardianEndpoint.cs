using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.KillSwitch;
using TokenFunctions.Engine.Secrets;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Ledger;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Sources.GitGuardian;

/// <summary>
/// GitGuardian custom webhook. <c>Gitguardian-Signature: sha256=&lt;hex&gt;</c> is HMAC-SHA256 of the raw body keyed
/// with the <c>Timestamp</c> header text followed by the signature token; timestamps outside the window are dropped and an
/// identical signed request inside it is a replay (409). GitGuardian sends hashes, not secrets, so an incident can only be
/// acted on when its hash matches a credential this app manages; anything else is a needs-human audit record.
/// </summary>
public sealed class GitGuardianEndpoint(
    WebhookIntake intake,
    IManagedCredentialIndex credentials,
    DeliveryGate deliveries,
    LeakResponder responder,
    SourceAudit audit,
    TokenFunctionsMetrics metrics,
    TimeProvider timeProvider,
    IOptions<GitGuardianOptions> options)
{
    public const string SignatureHeader = "Gitguardian-Signature";
    public const string TimestampHeader = "Timestamp";
    private const string Source = SourceNames.GitGuardian;

    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = new CancellationTokenSource(intake.Options.InlineDeadline, timeProvider);
        var settings = options.Value;
        var read = await intake.ReadWithSecretAsync(request, Source, WebhookSecretNames.GitGuardianSignatureToken, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return rejected;
        }

        // Key = timestamp text + token, exactly as sent; the body is signed as is.
        var timestampText = request.Headers[TimestampHeader].ToString().Trim();
        var signature = request.Headers[SignatureHeader].ToString();
        var keys = read.AcceptedSecret.Values.Select(token => Encoding.UTF8.GetBytes(timestampText + token)).ToArray();
        var verified = await intake.VerifySignedTimestampAsync(new SignedTimestamp(Source, timestampText, signature, keys, []), settings.TimestampWindow, read.Body, cancellationToken)
            .ConfigureAwait(false);
        if (verified.Rejection is { } refused)
        {
            return refused;
        }

        var result = await HandleVerifiedAsync(read.Body, settings, deadline.Token).ConfigureAwait(false);
        await deliveries.SettleAsync(verified.AcceptedClaim, handled: result.StatusCode < 500).ConfigureAwait(false);
        return result;
    }

    private async Task<WebhookResult> HandleVerifiedAsync(ReadOnlyMemory<byte> body, GitGuardianOptions settings, CancellationToken deadline)
    {
        GitGuardianEvent? payload;
        try
        {
            payload = JsonSerializer.Deserialize(body.Span, SourcesJsonContext.Default.GitGuardianEvent);
        }
        catch (JsonException)
        {
            return WebhookResult.Error(400, "malformed_json");
        }

        if (payload is null || string.IsNullOrEmpty(payload.Action))
        {
            return WebhookResult.Error(400, "invalid_payload");
        }

        var incident = payload.Incident;
        var correlationId = incident?.Id is { } id ? "incident-" + id.ToString(CultureInfo.InvariantCulture) : "gitguardian-" + payload.Action;
        if (!settings.EffectiveActions.Contains(payload.Action, StringComparer.Ordinal))
        {
            return Summary(OutcomeSummary.Of("ignored", correlationId, "action"));
        }

        if (payload.Action == "incident_validity_changed" && !string.Equals(incident?.Validity, "valid", StringComparison.OrdinalIgnoreCase))
        {
            return Summary(OutcomeSummary.Of("ignored", correlationId, "validity"));
        }

        if (incident is null)
        {
            return WebhookResult.Error(400, "invalid_payload");
        }

        var detector = incident.Detector?.Name ?? string.Empty;
        if (!settings.EffectiveDetectors.Any(d => detector.Contains(d, StringComparison.OrdinalIgnoreCase)))
        {
            return Summary(OutcomeSummary.Of("ignored", correlationId, "detector"));
        }

        metrics.AlertReceived(Source);
        ManagedCredentialRef? match = null;
        foreach (var hash in new[] { incident.SecretHash, incident.HmslHash })
        {
            if (NormalizeSha256(hash) is { } fingerprint
                && await credentials.FindByFingerprintAsync(fingerprint, deadline).ConfigureAwait(false) is { } found)
            {
                match = found;
                break;
            }
        }

        if (match is null)
        {
            var record = audit.Record(Source, correlationId, "match-fingerprint", "NeedsHuman",
                detail: $"GitGuardian incident ({detector}) matches no managed credential; GitGuardian sends no secret, disable it by hand: {incident.GitGuardianUrl}",
                fingerprint: NormalizeSha256(incident.SecretHash));
            if (!await audit.TryWriteAsync([record]).ConfigureAwait(false))
            {
                return WebhookResult.Error(503, "audit_unavailable");
            }

            return Summary(OutcomeSummary.From(correlationId, ResponseOutcome.Empty, extraNeedsHuman: 1));
        }

        var location = payload.Occurrence?.Url ?? incident.GitGuardianUrl;
        var leak = Leak.FromId(match.TokenId, Source, correlationId) with
        {
            OwnerHint = match.Owner,
            Location = location,
            DetectedAt = incident.Date,
            Reason = "gitguardian " + payload.Action,
            RequestedBy = Source,
        };
        var outcome = await responder.RespondAsync(
            new LeakBatch(Source, correlationId, [leak]) { Location = location, DetectedAt = incident.Date, Reason = leak.Reason, Environment = match.Owner },
            deadline).ConfigureAwait(false);
        return outcome.HandOffFailed
            ? WebhookResult.Error(503, "handoff_failed", TimeSpan.FromSeconds(30))
            : Summary(OutcomeSummary.From(correlationId, outcome));
    }

    /// <summary>Assumed: lower-case hex SHA-256 of the raw token (unverified against GitGuardian's docs). Anything else is ignored.</summary>
    internal static string? NormalizeSha256(string? hash)
    {
        var value = hash?.Trim();
        return value is { Length: 64 } && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : null;
    }

    private static WebhookResult Summary(OutcomeSummary summary) =>
        WebhookResult.Json(200, summary.Status, summary, SourcesJsonContext.Default.OutcomeSummary);
}
