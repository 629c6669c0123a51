using System.Security.Cryptography;
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

namespace TokenFunctions.Engine.Sources.GitLab;

/// <summary>
/// GitLab's token-revocation API contract: <c>GET /v1/revocable_token_types</c> and <c>POST /v1/revoke_tokens</c>,
/// authenticated with a pre-shared token in <c>Authorization</c>. Accepted reports answer 204 whatever happened to the
/// tokens (no validity oracle); 400 means "do not retry", 429 "retry later". A token seen within the idempotency window
/// is not acted on again.
/// </summary>
public sealed class GitLabRevocationEndpoint
{
    private const string Source = SourceNames.GitLab;
    private readonly WebhookIntake _intake;
    private readonly IWebhookSecretProvider _secrets;
    private readonly DeliveryGate _deliveries;
    private readonly LeakResponder _responder;
    private readonly TokenFunctionsMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly GitLabOptions _options;
    private readonly SourceRateLimiter _limiter;

    public GitLabRevocationEndpoint(
        WebhookIntake intake,
        IWebhookSecretProvider secrets,
        DeliveryGate deliveries,
        LeakResponder responder,
        TokenFunctionsMetrics metrics,
        TimeProvider timeProvider,
        IOptions<GitLabOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _intake = intake;
        _secrets = secrets;
        _deliveries = deliveries;
        _responder = responder;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _options = options.Value;
        _limiter = new SourceRateLimiter(_options.PermitsPerMinute, timeProvider);
    }

    /// <summary><c>GET /v1/revocable_token_types</c>.</summary>
    public async Task<IActionResult> GetTokenTypesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method))
        {
            return _intake.Reject(Source, 405, "method_not_allowed");
        }

        if (await AuthorizeAsync(request, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        return WebhookResult.Json(200, "types", new GitLabTokenTypes(_options.EffectiveTokenTypes), SourcesJsonContext.Default.GitLabTokenTypes);
    }

    /// <summary><c>POST /v1/revoke_tokens</c> with <c>[{"type","token","location"}]</c>.</summary>
    public async Task<IActionResult> RevokeTokensAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var deadline = new CancellationTokenSource(_intake.Options.InlineDeadline, _timeProvider);
        if (!HttpMethods.IsPost(request.Method))
        {
            return _intake.Reject(Source, 405, "method_not_allowed");
        }

        if (await AuthorizeAsync(request, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        if (!_limiter.TryAcquire(out var retryAfter))
        {
            return _intake.Reject(Source, 429, "rate_limited", retryAfter);
        }

        var read = await _intake.ReadAsync(request, Source, requireJson: true, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return rejected;
        }

        List<GitLabRevokeItem?>? items;
        try
        {
            items = JsonSerializer.Deserialize(read.Body.Span, SourcesJsonContext.Default.ListGitLabRevokeItem);
        }
        catch (JsonException)
        {
            return WebhookResult.Error(400, "malformed_json");
        }

        if (items is null || items.Count > _options.MaxItems || items.Any(i => i is null || string.IsNullOrEmpty(i.Token) || string.IsNullOrEmpty(i.Type)))
        {
            return WebhookResult.Error(400, "invalid_payload");
        }

        var correlationId = "gitlab-" + Convert.ToHexStringLower(SHA256.HashData(read.Body.Span))[..16];
        var types = _options.EffectiveTokenTypes;
        var leaks = new List<Leak>();
        var claims = new List<LedgerClaim>();
        var failed = true;
        try
        {
            foreach (var item in items)
            {
                if (!types.Contains(item!.Type!, StringComparer.Ordinal) || !TokenSecret.TryParse(item.Token!.Trim(), out var secret)
                    || leaks.Any(l => l.Secret!.Equals(secret)))
                {
                    continue;
                }

                var claim = await _deliveries.ClaimAsync(Source, "fp:" + secret.Fingerprint, _options.IdempotencyWindow, cancellationToken).ConfigureAwait(false);
                if (claim.Status != ClaimStatus.Claimed)
                {
                    continue; // reported before (or being handled right now): idempotent
                }

                claims.Add(claim);
                leaks.Add(Leak.FromSecret(secret, Source, correlationId) with
                {
                    Location = Redaction.Redact(item.Location),
                    Reason = "gitlab token revocation request",
                    RequestedBy = Source,
                });
            }

            if (leaks.Count > 0)
            {
                _metrics.AlertReceived(Source);
                var outcome = await _responder.RespondAsync(new LeakBatch(Source, correlationId, leaks) { Reason = "gitlab token revocation request" }, deadline.Token)
                    .ConfigureAwait(false);
                if (outcome.HandOffFailed)
                {
                    return WebhookResult.Error(503, "handoff_failed", TimeSpan.FromSeconds(30));
                }
            }

            failed = false;
            return WebhookResult.Empty(204, "accepted");
        }
        finally
        {
            foreach (var claim in claims)
            {
                await _deliveries.SettleAsync(claim, handled: !failed).ConfigureAwait(false);
            }
        }
    }

    private async Task<WebhookResult?> AuthorizeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var secret = await _secrets.GetAsync(WebhookSecretNames.GitLabToken, cancellationToken).ConfigureAwait(false);
        if (secret is null)
        {
            return _intake.NotConfigured(Source);
        }

        var header = request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0)
        {
            return _intake.Reject(Source, 401, "missing_authorization");
        }

        // GitLab sends the pre-shared token as the whole header value; a "Bearer " prefix is accepted too.
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : header;
        return SharedSecretComparer.Matches(presented, secret.Values) ? null : _intake.Reject(Source, 401, "bad_authorization");
    }
}
