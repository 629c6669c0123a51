using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;
using TokenFunctions.Engine.Sources.Http;
using TokenFunctions.Engine.Sources.Pipeline;
using TokenFunctions.Engine.Sources.Response;
using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Sources.GitLab;

/// <summary>
/// GitLab's token-revocation API contract: <c>GET /v1/revocable_token_types</c> and <c>POST /v1/revoke_tokens</c>,
/// authenticated with a pre-shared token in <c>Authorization</c>. Accepted reports answer 204 whatever happened to the
/// tokens (no validity oracle); 400 means "do not retry", 429 "retry later". A token seen within the idempotency window
/// is not acted on again.
/// </summary>
public sealed class GitLabRevocationEndpoint : WebhookSource
{
    private const string Source = SourceNames.GitLab;
    private const string RequestReason = "gitlab token revocation request";
    private readonly IWebhookSecretProvider _secrets;
    private readonly GitLabOptions _options;
    private readonly SourceRateLimiter _limiter;

    public GitLabRevocationEndpoint(
        WebhookPipeline pipeline, IWebhookSecretProvider secrets, [FromKeyedServices(Source)] SourceRateLimiter limiter, IOptions<GitLabOptions> options)
        : base(pipeline)
    {
        ArgumentNullException.ThrowIfNull(options);
        _secrets = secrets;
        _options = options.Value;
        _limiter = limiter;
    }

    public override string Name => Source;

    /// <summary><c>GET /v1/revocable_token_types</c>.</summary>
    public async Task<IActionResult> GetTokenTypesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsGet(request.Method))
        {
            return Pipeline.Intake.Reject(Source, 405, "method_not_allowed");
        }

        if (await AuthorizeAsync(request, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return denied;
        }

        return WebhookResult.Json(200, "types", new GitLabTokenTypes(_options.EffectiveTokenTypes), SourcesJsonContext.Default.GitLabTokenTypes);
    }

    /// <summary><c>POST /v1/revoke_tokens</c> with <c>[{"type","token","location"}]</c>.</summary>
    public Task<IActionResult> RevokeTokensAsync(HttpRequest request, CancellationToken cancellationToken) => HandleAsync(request, cancellationToken);

    protected internal override async ValueTask<WebhookVerification> VerifyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var intake = Pipeline.Intake;
        if (!HttpMethods.IsPost(request.Method))
        {
            return WebhookVerification.Rejected(intake.Reject(Source, 405, "method_not_allowed"));
        }

        if (await AuthorizeAsync(request, cancellationToken).ConfigureAwait(false) is { } denied)
        {
            return WebhookVerification.Rejected(denied);
        }

        if (!_limiter.TryAcquire(out var retryAfter))
        {
            return WebhookVerification.Rejected(intake.Reject(Source, 429, "rate_limited", retryAfter));
        }

        var read = await intake.ReadAsync(request, Source, requireJson: true, cancellationToken).ConfigureAwait(false);
        return read.Rejection is { } rejected ? WebhookVerification.Rejected(rejected) : WebhookVerification.Verified(read.Body);
    }

    protected internal override WebhookParse Parse(HttpRequest request, ReadOnlyMemory<byte> body)
    {
        List<GitLabRevokeItem?>? items;
        try
        {
            items = JsonSerializer.Deserialize(body.Span, SourcesJsonContext.Default.ListGitLabRevokeItem);
        }
        catch (JsonException)
        {
            return WebhookResult.Error(400, "malformed_json");
        }

        if (items is null || items.Count > _options.MaxItems || items.Any(i => i is null || string.IsNullOrEmpty(i.Token) || string.IsNullOrEmpty(i.Type)))
        {
            return WebhookResult.Error(400, "invalid_payload");
        }

        var correlationId = "gitlab-" + Convert.ToHexStringLower(SHA256.HashData(body.Span))[..16];
        var types = _options.EffectiveTokenTypes;
        var leaks = new List<Leak>();
        foreach (var item in items)
        {
            if (types.Contains(item!.Type!, StringComparer.Ordinal) && TokenSecret.TryParse(item.Token!.Trim(), out var secret)
                && !leaks.Any(l => l.Secret!.Equals(secret)))
            {
                leaks.Add(Leak.FromSecret(secret, Source, correlationId) with { Location = item.Location, Reason = RequestReason, RequestedBy = Source });
            }
        }

        return new WebhookReport { CorrelationId = correlationId, Leaks = leaks, LeakClaimRetention = _options.IdempotencyWindow, Reason = RequestReason };
    }

    /// <summary>204 whatever happened to the tokens: the answer is no validity oracle.</summary>
    protected internal override WebhookResult Answer(WebhookReport report, ResponseOutcome outcome) => WebhookResult.Empty(204, "accepted");

    private async Task<WebhookResult?> AuthorizeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var secret = await _secrets.GetAsync(WebhookSecretNames.GitLabToken, cancellationToken).ConfigureAwait(false);
        if (secret is null)
        {
            return Pipeline.Intake.NotConfigured(Source);
        }

        var header = request.Headers.Authorization.ToString().Trim();
        if (header.Length == 0)
        {
            return Pipeline.Intake.Reject(Source, 401, "missing_authorization");
        }

        // GitLab sends the pre-shared token as the whole header value; a "Bearer " prefix is accepted too.
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : header;
        return SharedSecretComparer.Matches(presented, secret.Values) ? null : Pipeline.Intake.Reject(Source, 401, "bad_authorization");
    }
}
