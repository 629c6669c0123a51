using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.KillSwitch;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Telemetry;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.GitHubPartner;

/// <summary>
/// The secret-scanning partner format: a JSON array of <c>{token, type, url, source}</c> signed with ECDSA P-256/SHA-256
/// over the raw body. Tokens are classified by their shape, not by <c>type</c>. The answer carries feedback labels only,
/// computed from the token's shape, so it says nothing about whether a token exists or was disabled.
/// </summary>
public sealed class GitHubPartnerEndpoint(
    WebhookIntake intake,
    IPartnerPublicKeyProvider keys,
    LeakResponder responder,
    TokenFunctionsMetrics metrics,
    TimeProvider timeProvider,
    IOptions<PartnerOptions> options)
{
    private const string Source = SourceNames.GitHubPartner;

    public async Task<IActionResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = new CancellationTokenSource(intake.Options.InlineDeadline, timeProvider);
        var settings = options.Value;
        var read = await intake.ReadAsync(request, Source, requireJson: true, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return rejected;
        }

        var keyId = request.Headers[settings.KeyIdHeader].ToString().Trim();
        var signatureText = request.Headers[settings.SignatureHeader].ToString().Trim();
        if (keyId.Length == 0 || signatureText.Length == 0)
        {
            return intake.Reject(Source, 401, "missing_signature");
        }

        var signature = DecodeSignature(signatureText);
        if (keyId.Length > 200 || signature is null)
        {
            return intake.Reject(Source, 401, "malformed_signature");
        }

        var lookup = await keys.GetAsync(keyId, cancellationToken).ConfigureAwait(false);
        switch (lookup.Status)
        {
            case PartnerKeyStatus.Unknown:
                return intake.Reject(Source, 401, "unknown_key");
            case PartnerKeyStatus.Unavailable:
                return intake.Reject(Source, 503, "keys_unavailable", TimeSpan.FromSeconds(60));
        }

        if (!lookup.Key!.IsCurrent)
        {
            // GitHub marks superseded keys is_current: false; like crates.io, a report signed with one is not trusted.
            return intake.Reject(Source, 401, "retired_key");
        }

        if (!lookup.Key.Verify(read.Body.Span, signature))
        {
            return intake.Reject(Source, 401, "bad_signature");
        }

        List<PartnerMatch?>? matches;
        try
        {
            matches = JsonSerializer.Deserialize(read.Body.Span, SourcesJsonContext.Default.ListPartnerMatch);
        }
        catch (JsonException)
        {
            return WebhookResult.Error(400, "malformed_json");
        }

        if (matches is null || matches.Any(m => m?.Token is null))
        {
            return WebhookResult.Error(400, "invalid_payload");
        }

        var correlationId = "partner-" + Convert.ToHexStringLower(SHA256.HashData(read.Body.Span))[..16];
        var labels = new List<PartnerFeedbackLabel>(matches.Count);
        var leaks = new List<Leak>();
        foreach (var match in matches)
        {
            var token = match!.Token!;
            var found = Classify(token);
            labels.Add(new PartnerFeedbackLabel(TokenFingerprint.Of(token), match.Type, found.Count > 0 ? "true_positive" : "false_positive"));
            leaks.AddRange(found.Select(secret => Leak.FromSecret(secret, Source, correlationId) with
            {
                Location = Redaction.Redact(match.Url),
                Reason = "github secret scanning partner report" + (match.Source is { Length: > 0 } s ? $" ({s.ToLowerInvariant()})" : string.Empty),
                RequestedBy = Source,
            }));
        }

        if (leaks.Count > 0)
        {
            metrics.AlertReceived(Source);
            var outcome = await responder.RespondAsync(new LeakBatch(Source, correlationId, leaks) { Reason = "github secret scanning partner report" }, deadline.Token)
                .ConfigureAwait(false);
            if (outcome.HandOffFailed)
            {
                return WebhookResult.Error(503, "handoff_failed", TimeSpan.FromSeconds(30));
            }
        }

        return settings.SendFeedback
            ? WebhookResult.Json(200, "accepted", labels, SourcesJsonContext.Default.ListPartnerFeedbackLabel)
            : WebhookResult.Empty(204, "accepted");
    }

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
