using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Pipeline;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.GitHubPartner;

/// <summary>
/// The secret-scanning partner format: a JSON array of <c>{token, type, url, source}</c> signed with ECDSA P-256/SHA-256
/// over the raw body. Tokens are classified by their shape, not by <c>type</c>. The answer carries feedback labels only,
/// computed from the token's shape, so it says nothing about whether a token exists or was disabled.
/// </summary>
public sealed class GitHubPartnerEndpoint(
    WebhookPipeline pipeline,
    IPartnerPublicKeyProvider keys,
    IOptions<PartnerOptions> options) : WebhookSource(pipeline)
{
    private const string Source = SourceNames.GitHubPartner;
    private const string ReportReason = "github secret scanning partner report";

    public override string Name => Source;

    protected internal override async ValueTask<WebhookVerification> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var intake = Pipeline.Intake;
        var settings = options.Value;
        var read = await intake.ReadAsync(request, Source, requireJson: true, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return WebhookVerification.Rejected(rejected);
        }

        var keyId = request.Headers[settings.KeyIdHeader].ToString().Trim();
        var signatureText = request.Headers[settings.SignatureHeader].ToString().Trim();
        if (keyId.Length == 0 || signatureText.Length == 0)
        {
            return WebhookVerification.Rejected(intake.Reject(Source, 401, "missing_signature"));
        }

        var signature = DecodeSignature(signatureText);
        if (keyId.Length > 200 || signature is null)
        {
            return WebhookVerification.Rejected(intake.Reject(Source, 401, "malformed_signature"));
        }

        var lookup = await keys.GetAsync(keyId, cancellationToken).ConfigureAwait(false);
        switch (lookup.Status)
        {
            case PartnerKeyStatus.Unknown:
                return WebhookVerification.Rejected(intake.Reject(Source, 401, "unknown_key"));
            case PartnerKeyStatus.Unavailable:
                return WebhookVerification.Rejected(intake.Reject(Source, 503, "keys_unavailable", TimeSpan.FromSeconds(60)));
        }

        if (!lookup.Key!.IsCurrent)
        {
            // GitHub marks superseded keys is_current: false; like crates.io, a report signed with one is not trusted.
            return WebhookVerification.Rejected(intake.Reject(Source, 401, "retired_key"));
        }

        return lookup.Key.Verify(read.Body.Span, signature)
            ? WebhookVerification.Verified(read.Body)
            : WebhookVerification.Rejected(intake.Reject(Source, 401, "bad_signature"));
    }

    protected internal override WebhookParse Parse(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        List<PartnerMatch?>? matches;
        try
        {
            matches = JsonSerializer.Deserialize(body.Span, SourcesJsonContext.Default.ListPartnerMatch);
        }
        catch (JsonException)
        {
            return WebhookResult.Error(400, "malformed_json");
        }

        if (matches is null || matches.Any(m => m?.Token is null))
        {
            return WebhookResult.Error(400, "invalid_payload");
        }

        var correlationId = "partner-" + Convert.ToHexStringLower(SHA256.HashData(body.Span))[..16];
        var labels = new List<PartnerFeedbackLabel>(matches.Count);
        var leaks = new List<Leak>();
        foreach (var match in matches)
        {
            var token = match!.Token!;
            var found = Classify(token);
            labels.Add(new PartnerFeedbackLabel(TokenFingerprint.Of(token), match.Type, found.Count > 0 ? "true_positive" : "false_positive"));
            leaks.AddRange(found.Select(secret => Leak.FromSecret(secret, Source, correlationId) with
            {
                Location = match.Url,
                Reason = ReportReason + (match.Source is { Length: > 0 } s ? $" ({s.ToLowerInvariant()})" : string.Empty),
                RequestedBy = Source,
            }));
        }

        return new PartnerReport { CorrelationId = correlationId, Leaks = leaks, Labels = labels, Reason = ReportReason };
    }

    protected internal override WebhookResult Answer(WebhookReport report, ResponseOutcome outcome) =>
        options.Value.SendFeedback
            ? WebhookResult.Json(200, "accepted", ((PartnerReport)report).Labels, SourcesJsonContext.Default.ListPartnerFeedbackLabel)
            : WebhookResult.Empty(204, "accepted");

    /// <summary>The whole value as a token, else any tokens inside it (GitHub's match may carry surroundings).</summary>
    internal static IReadOnlyList<TokenSecret> Classify(string value)
    {
        if (TokenSecret.TryParse(value.Trim(), out var secret))
        {
            return [secret];
        }

        return value.Contains("dt0", StringComparison.Ordinal) ? TokenScanner.FindSecrets(value).Distinct().ToList() : [];
    }

    private static byte[]? DecodeSignature(string text)
    {
        if (text.Length > 256)
        {
            return null;
        }

        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) && written > 0 ? buffer[..written] : null;
    }
}
