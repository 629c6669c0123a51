using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Sources.Http;

/// <summary>
/// The first steps every source shares, all before any parsing: method, JSON content type, size cap, raw body.
/// Each rejection is one counter increment (<see cref="TokenFunctionsMetrics.SignatureFailure"/>) and nothing else.
/// </summary>
public sealed class WebhookIntake(TokenFunctionsMetrics metrics, IOptions<SourcesOptions> options)
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

    /// <summary>A source whose secret is not configured refuses everything: an unconfigured secret never means "unsigned is fine".</summary>
    public WebhookResult NotConfigured(string source) =>
        Reject(source, StatusCodes.Status503ServiceUnavailable, "source_not_configured");
}

public readonly record struct IntakeResult(ReadOnlyMemory<byte> Body, WebhookResult? Rejection);
