using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.KeyVault;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Pipeline;
using TokenFunctions.Engine.Sources.Response;

namespace TokenFunctions.Engine.Sources.GitGuardian;

/// <summary>
/// GitGuardian custom webhook. <c>Gitguardian-Signature: sha256=&lt;hex&gt;</c> is HMAC-SHA256 of the raw body keyed
/// with the <c>Timestamp</c> header text followed by the signature token; timestamps outside the window are dropped and an
/// identical signed request inside it is a replay (409). GitGuardian sends hashes, not secrets, so an incident can only be
/// acted on when its hash matches a credential this app manages; anything else is a needs-human audit record. While Key
/// Vault is unavailable the match cannot be made: 503 with <c>Retry-After</c>, so GitGuardian redelivers.
/// </summary>
public sealed class GitGuardianEndpoint(
    WebhookPipeline pipeline,
    IManagedCredentialIndex credentials,
    SourceAudit audit,
    IOptions<GitGuardianOptions> options) : WebhookSource(pipeline)
{
    public const string SignatureHeader = "Gitguardian-Signature";
    public const string TimestampHeader = "Timestamp";
    private const string Source = SourceNames.GitGuardian;
    private static readonly TimeSpan VaultRetryAfter = TimeSpan.FromSeconds(60);

    public override string Name => Source;

    protected internal override async ValueTask<WebhookVerification> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var intake = Pipeline.Intake;
        var read = await intake.ReadWithSecretAsync(request, Source, WebhookSecretNames.GitGuardianSignatureToken, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return WebhookVerification.Rejected(rejected);
        }

        // Key = timestamp text + token, exactly as sent; the body is signed as is.
        var timestampText = request.Headers[TimestampHeader].ToString().Trim();
        var signature = request.Headers[SignatureHeader].ToString();
        var keys = read.AcceptedSecret.Values.Select(token => Encoding.UTF8.GetBytes(timestampText + token)).ToArray();
        var verified = await intake.VerifySignedTimestampAsync(new SignedTimestamp(Source, timestampText, signature, keys, []), options.Value.TimestampWindow, read.Body, cancellationToken)
            .ConfigureAwait(false);
        return verified.Rejection is { } refused ? WebhookVerification.Rejected(refused) : WebhookVerification.Verified(read.Body, verified.AcceptedClaim);
    }

    protected internal override WebhookParse Parse(HttpRequest request, ReadOnlyMemory<byte> body)
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

        var settings = options.Value;
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

        var location = payload.Occurrence?.Url ?? incident.GitGuardianUrl;
        return new GitGuardianReport
        {
            CorrelationId = correlationId,
            CountAsAlert = true,
            Incident = incident,
            Detector = detector,
            Location = location,
            DetectedAt = incident.Date,
            Reason = "gitguardian " + payload.Action,
        };
    }

    /// <summary>The incident's hashes against the managed credentials: the only way from a GitGuardian incident to a token id.</summary>
    protected internal override async ValueTask<WebhookLeaks> FindLeaksAsync(WebhookReport report, CancellationToken deadline)
    {
        var incident = ((GitGuardianReport)report).Incident;
        ManagedCredentialRef? match = null;
        try
        {
            foreach (var hash in new[] { incident.SecretHash, incident.HmslHash })
            {
                if (NormalizeSha256(hash) is { } fingerprint
                    && await credentials.FindByFingerprintAsync(fingerprint, deadline).ConfigureAwait(false) is { } found)
                {
                    match = found;
                    break;
                }
            }
        }
        catch (ManagedCredentialIndexUnavailableException)
        {
            return WebhookResult.Error(503, "credential_index_unavailable", VaultRetryAfter);
        }

        if (match is null)
        {
            var record = audit.Record(Source, report.CorrelationId, "match-fingerprint", "NeedsHuman",
                detail: $"GitGuardian incident ({((GitGuardianReport)report).Detector}) matches no managed credential; GitGuardian sends no secret, disable it by hand: {incident.GitGuardianUrl}",
                fingerprint: NormalizeSha256(incident.SecretHash));
            if (!await audit.TryWriteAsync([record]).ConfigureAwait(false))
            {
                return WebhookResult.Error(503, "audit_unavailable");
            }

            return Summary(OutcomeSummary.From(report.CorrelationId, ResponseOutcome.Empty, extraNeedsHuman: 1));
        }

        return new List<Leak>
        {
            Leak.FromId(match.TokenId, Source, report.CorrelationId) with
            {
                OwnerHint = match.Owner,
                Location = report.Location,
                DetectedAt = incident.Date,
                Reason = report.Reason ?? "gitguardian",
                RequestedBy = Source,
            },
        };
    }

    protected internal override WebhookResult Answer(WebhookReport report, ResponseOutcome outcome) =>
        Summary(OutcomeSummary.From(report.CorrelationId, outcome));

    /// <summary>Assumed: lower-case hex SHA-256 of the raw token (unverified against GitGuardian's docs). Anything else is ignored.</summary>
    internal static string? NormalizeSha256(string? hash)
    {
        var value = hash?.Trim();
        return value is { Length: 64 } && value.All(char.IsAsciiHexDigit) ? value.ToLowerInvariant() : null;
    }
}
