using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Pipeline;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.Generic;

/// <summary>
/// The generic signed webhook (TruffleHog, Gitleaks, in-house scanners):
/// <c>X-TokenFunctions-Signature: sha256=HMAC(secret, timestamp + "." + body)</c> with <c>X-TokenFunctions-Timestamp</c>
/// (Unix seconds) inside the window. An identical signature inside the window is a replay (409); a report with an
/// <c>id</c> already handled answers 200 <c>duplicate</c> without acting.
/// </summary>
public sealed class GenericWebhookEndpoint(WebhookPipeline pipeline, IOptions<GenericWebhookOptions> options) : WebhookSource(pipeline)
{
    public const string TimestampHeader = "X-TokenFunctions-Timestamp";
    public const string SignatureHeader = "X-TokenFunctions-Signature";
    public const int MaxIdLength = 200;
    private const string Source = SourceNames.Generic;

    public override string Name => Source;

    protected internal override async ValueTask<WebhookVerification> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var intake = Pipeline.Intake;
        var read = await intake.ReadWithSecretAsync(request, Source, WebhookSecretNames.GenericSecret, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return WebhookVerification.Rejected(rejected);
        }

        var timestampText = request.Headers[TimestampHeader].ToString().Trim();
        var signature = request.Headers[SignatureHeader].ToString();
        var signed = new SignedTimestamp(Source, timestampText, signature, read.AcceptedSecret.Utf8Values(), Encoding.UTF8.GetBytes(timestampText + "."));
        var verified = await intake.VerifySignedTimestampAsync(signed, options.Value.TimestampWindow, read.Body, cancellationToken).ConfigureAwait(false);
        return verified.Rejection is { } refused ? WebhookVerification.Rejected(refused) : WebhookVerification.Verified(read.Body, verified.AcceptedClaim);
    }

    protected internal override WebhookParse Parse(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        GenericLeakReport? report;
        try
        {
            report = JsonSerializer.Deserialize(body.Span, SourcesJsonContext.Default.GenericLeakReport);
        }
        catch (JsonException)
        {
            return WebhookResult.Error(400, "malformed_json");
        }

        if (report?.Tokens is not { Count: > 0 } entries || entries.Count > options.Value.MaxTokens || entries.Any(string.IsNullOrEmpty)
            || report.Id is { Length: > MaxIdLength })
        {
            return WebhookResult.Error(400, "invalid_payload");
        }

        var correlationId = report.Id ?? "generic-" + Convert.ToHexStringLower(SHA256.HashData(body.Span))[..16];
        var (leaks, ignored) = Classify(entries!, report, correlationId);
        return new GenericReport
        {
            CorrelationId = correlationId,
            ClaimKey = report.Id is null ? null : "id:" + report.Id,
            InProgressReason = "report_in_progress",
            Leaks = leaks,
            Ignored = ignored,
            Reason = report.Reason ?? (report.Scanner is { } scanner ? scanner + " finding" : "reported leak"),
            Location = report.Location,
            DetectedAt = report.DetectedAt,
            Environment = report.Environment,
        };
    }

    protected internal override WebhookResult Answer(WebhookReport report, ResponseOutcome outcome) =>
        Summary(OutcomeSummary.From(report.CorrelationId, outcome, ((GenericReport)report).Ignored));

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
                Location = report.Location,
                Reason = report.Reason ?? "reported leak",
                OwnerHint = report.Environment,
                DetectedAt = report.DetectedAt,
                RequestedBy = report.Scanner is { Length: > 0 and <= 100 } scanner ? Source + ":" + scanner : Source,
            }));
            if (leaks.Count == before)
            {
                ignored++;
            }
        }

        return (leaks, ignored);
    }
}
