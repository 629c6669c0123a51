using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Sources.Deliveries;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary>
/// The first steps every source shares, all before any parsing: method, JSON content type, size cap, raw body, the
/// source's secret and its signature over the raw bytes. Each rejection is one counter increment
/// (<see cref="TokenFunctionsMetrics.SignatureFailure"/>) and nothing else.
/// </summary>
public sealed class WebhookIntake(
    TokenFunctionsMetrics metrics,
    IWebhookSecretProvider secrets,
    DeliveryGate deliveries,
    TimeProvider timeProvider,
    IOptions<SourcesOptions> options)
{
    public SourcesOptions Options => options.Value;

    public async ValueTask<IntakeResult> ReadAsync(HttpRequest request, string source, bool requireJson, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!HttpMethods.IsPost(request.Method))
        {
            return new IntakeResult(default, Reject(source, StatusCodes.Status405MethodNotAllowed, "method_not_allowed"));
        }

        if (requireJson && !JsonContentType.IsJson(request.ContentType))
        {
            return new IntakeResult(default, Reject(source, StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type"));
        }

        var read = await RequestBodyReader.ReadAsync(request, options.Value.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        return read.TooLarge
            ? new IntakeResult(default, Reject(source, StatusCodes.Status413PayloadTooLarge, "payload_too_large"))
            : new IntakeResult(read.Body, null);
    }

    /// <summary>
    /// <see cref="ReadAsync"/> for a JSON source, then the secret named <paramref name="secretName"/>: the body is capped and
    /// read before the secret store is asked, and a secret that is not configured is <see cref="NotConfigured"/>.
    /// </summary>
    public async ValueTask<SecretIntakeResult> ReadWithSecretAsync(HttpRequest request, string source, string secretName, CancellationToken cancellationToken)
    {
        var read = await ReadAsync(request, source, requireJson: true, cancellationToken).ConfigureAwait(false);
        if (read.Rejection is { } rejected)
        {
            return SecretIntakeResult.Rejected(rejected);
        }

        var secret = await secrets.GetAsync(secretName, cancellationToken).ConfigureAwait(false);
        return secret is null ? SecretIntakeResult.Rejected(NotConfigured(source)) : new SecretIntakeResult(read.Body, secret, null);
    }

    /// <summary>Counts the rejection and builds its answer. Used for every refusal before the payload is trusted.</summary>
    public WebhookResult Reject(string source, int statusCode, string reason, TimeSpan? retryAfter = null)
    {
        metrics.SignatureFailure(source, reason);
        return WebhookResult.Error(statusCode, reason, retryAfter);
    }

    /// <summary>
    /// The signed timestamp of the GitGuardian and generic schemes: present, Unix seconds, and within the window of
    /// <paramref name="now"/>. Returns the 401 to send, or null when the timestamp may go on into the signature check.
    /// </summary>
    public WebhookResult? CheckTimestamp(string source, string timestampText, DateTimeOffset now, TimeSpan window)
    {
        if (timestampText.Length == 0)
        {
            return Reject(source, StatusCodes.Status401Unauthorized, "missing_timestamp");
        }

        if (!UnixTimestamp.TryParse(timestampText, out var timestamp))
        {
            return Reject(source, StatusCodes.Status401Unauthorized, "malformed_timestamp");
        }

        return UnixTimestamp.IsWithin(timestamp, now, window) ? null : Reject(source, StatusCodes.Status401Unauthorized, "stale_timestamp");
    }

    /// <summary>
    /// A <c>sha256=&lt;hex&gt;</c> HMAC header over <paramref name="prefix"/> + the raw body, tried with every key in constant
    /// time. Returns the 401 to send (<c>missing_signature</c>, <c>malformed_signature</c>, <c>bad_signature</c>), or null
    /// when it verifies.
    /// </summary>
    public WebhookResult? CheckSignature(string source, string? header, IReadOnlyList<byte[]> keys, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body) =>
        HmacSignature.Check(header, keys, prefix, body) is { } failure ? Reject(source, StatusCodes.Status401Unauthorized, failure) : null;

    /// <summary>
    /// The GitGuardian and generic schemes once the secret is known: the signed timestamp inside <paramref name="window"/>
    /// (<see cref="CheckTimestamp"/>, so a stale one is refused whatever the signature), the HMAC over the raw body
    /// (<see cref="CheckSignature"/>), then the replay guard: the same signature again is a replay (409) for as long as its
    /// timestamp could still pass. The caller settles the returned claim once the delivery is handled.
    /// </summary>
    public async ValueTask<ReplayClaimResult> VerifySignedTimestampAsync(SignedTimestamp signed, TimeSpan window, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var refused = CheckTimestamp(signed.Source, signed.TimestampText, timeProvider.GetUtcNow(), window)
            ?? CheckSignature(signed.Source, signed.Signature, signed.Keys, signed.Prefix, body.Span);
        if (refused is not null)
        {
            return ReplayClaimResult.Rejected(refused);
        }

        var replay = await deliveries.ClaimSignatureAsync(signed.Source, signed.Signature, window, cancellationToken).ConfigureAwait(false);
        return replay.Status == ClaimStatus.Claimed
            ? new ReplayClaimResult(replay, null)
            : ReplayClaimResult.Rejected(Reject(signed.Source, StatusCodes.Status409Conflict, "replay"));
    }

    /// <summary>A source whose secret is not configured refuses everything: an unconfigured secret never means "unsigned is fine".</summary>
    public WebhookResult NotConfigured(string source) =>
        Reject(source, StatusCodes.Status503ServiceUnavailable, "source_not_configured");
}

public readonly record struct IntakeResult(ReadOnlyMemory<byte> Body, WebhookResult? Rejection);
