using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.KillSwitch;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Ledger;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.Generic;

/// <summary>
/// The generic signed webhook (TruffleHog, Gitleaks, in-house scanners):
/// <c>X-TokenFunctions-Signature: sha256=HMAC(secret, timestamp + "." + body)</c> with <c>X-TokenFunctions-Timestamp</c>
/// (Unix seconds) inside the window. An identical signature inside the window is a replay (409); a report with an
/// <c>id</c> already handled answers 200 <c>duplicate</c> without acting.
/// </summary>
public sealed class GenericWebhookEndpoint(
    WebhookIntake intake,
    DeliveryGate deliveries,
    LeakResponder responder,
    TokenFunctionsMetrics metrics,
    TimeProvider timeProvider,
    IOptions<GenericWebhookOptions> options)
{
    public const string TimestampHeader = "X-TokenFunctions-Timestamp";
    public const string SignatureHeader = "X-TokenFunctions-Signature";
    private const string Source = SourceNames.Generic;

    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = new CancellationTokenSource(intake.Options.InlineDeadline, timeProvider);
        var settings = options.Value;
        var read = await intake.ReadWithSecretAsync(request, Source, WebhookSecretNames.GenericSecret, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return rejected;
        }

        var timestampText = request.Headers[TimestampHeader].ToString().Trim();
        var signature = request.Headers[SignatureHeader].ToString();
        var signed = new SignedTimestamp(Source, timestampText, signature, read.AcceptedSecret.Utf8Values(), Encoding.UTF8.GetBytes(timestampText + "."));
        var verified = await intake.VerifySignedTimestampAsync(signed, settings.TimestampWindow, read.Body, cancellationToken).ConfigureAwait(false);
        if (verified.Rejection is { } refused)
        {
            return refused;
        }

        var replay = verified.AcceptedClaim;

        LedgerClaim? idClaim = null;
        var result = WebhookResult.Error(500, "unhandled");
        try
        {
            GenericLeakReport? report;
            try
            {
                report = JsonSerializer.Deserialize(read.Body.Span, SourcesJsonContext.Default.GenericLeakReport);
            }
            catch (JsonException)
            {
                return result = WebhookResult.Error(400, "malformed_json");
            }

            if (report?.Tokens is not { Count: > 0 } entries || entries.Count > settings.MaxTokens || entries.Any(string.IsNullOrEmpty)
                || report.Id is { Length: > 200 })
            {
                return result = WebhookResult.Error(400, "invalid_payload");
            }

            var correlationId = report.Id ?? "generic-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(read.Body.Span))[..16];
            if (report.Id is not null)
            {
                idClaim = await deliveries.ClaimAsync(Source, "id:" + report.Id, null, cancellationToken).ConfigureAwait(false);
                switch (idClaim.Status)
                {
                    case ClaimStatus.AlreadyCompleted:
                        idClaim = null;
                        return result = Summary(OutcomeSummary.Of("duplicate", correlationId));
                    case ClaimStatus.InProgress:
                        idClaim = null;
                        return result = WebhookResult.Error(409, "report_in_progress", intake.Options.ClaimLease);
                }
            }

            var (leaks, ignored) = Classify(entries!, report, correlationId);
            if (leaks.Count > 0)
            {
                metrics.AlertReceived(Source);
            }

            var reason = report.Reason ?? (report.Scanner is { } scanner ? scanner + " finding" : "reported leak");
            var outcome = await responder.RespondAsync(
                new LeakBatch(Source, correlationId, leaks) { Reason = reason, Location = report.Location, DetectedAt = report.DetectedAt, Environment = report.Environment },
                deadline.Token).ConfigureAwait(false);
            return result = outcome.HandOffFailed
                ? WebhookResult.Error(503, "handoff_failed", TimeSpan.FromSeconds(30))
                : Summary(OutcomeSummary.From(correlationId, outcome, ignored));
        }
        finally
        {
            foreach (var claim in idClaim is null ? new[] { replay } : [replay, idClaim])
            {
                await deliveries.SettleAsync(claim, handled: result.StatusCode < 500).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Full token, else token id, else tokens found inside the text; whatever is none of these is counted as ignored.</summary>
    internal static (List<Leak> Leaks, int Ignored) Classify(IReadOnlyList<string?> entries, GenericLeakReport report, string correlationId)
    {
        var leaks = new List<Leak>();
        var ignored = 0;
        foreach (var entry in entries)
        {
            var text = entry!.Trim();
            IEnumerable<Leak> found;
            if (TokenSecret.TryParse(text, out var secret))
            {
                found = [Leak.FromSecret(secret, Source, correlationId)];
            }
            else if (TokenId.TryParse(text, out var id))
            {
                found = [Leak.FromId(id, Source, correlationId)];
            }
            else
            {
                found = TokenScanner.FindSecrets(text).Distinct().Select(s => Leak.FromSecret(s, Source, correlationId)).ToList();
            }

            var before = leaks.Count;
            leaks.AddRange(found.Select(l => l with
            {
                Location = Redaction.Redact(report.Location),
                Reason = Redaction.Redact(report.Reason) ?? "reported leak",
                OwnerHint = report.Environment,
                DetectedAt = report.DetectedAt,
                RequestedBy = report.Scanner is { Length: > 0 and <= 100 } scanner ? Source + ":" + Redaction.Redact(scanner) : Source,
            }));
            if (leaks.Count == before)
            {
                ignored++;
            }
        }

        return (leaks, ignored);
    }

    private static WebhookResult Summary(OutcomeSummary summary) =>
        WebhookResult.Json(200, summary.Status, summary, SourcesJsonContext.Default.OutcomeSummary);
}
