using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Leaks;

/// <summary>
/// One reported leak: a full token (when the source had it) or only its public id. Everything the engine needs to decide,
/// and everything the audit trail needs to explain the decision later.
/// </summary>
public sealed record Leak
{
    /// <summary>The full token, when the source carried it. Null when only the id is known.</summary>
    public TokenSecret? Secret { get; init; }

    public required TokenId TokenId { get; init; }

    public TokenKind Kind => TokenId.Kind;

    /// <summary>SHA-256 of the full token when known.</summary>
    public string? Fingerprint => Secret?.Fingerprint;

    /// <summary>Which input reported it, e.g. <c>github-alert</c>, <c>github-partner</c>, <c>gitguardian</c>, <c>generic</c>, <c>gitlab</c>, <c>queue</c>.</summary>
    public required string Source { get; init; }

    public string Reason { get; init; } = "leaked";

    /// <summary>Where it was seen (URL, repository path); never the secret.</summary>
    public string? Location { get; init; }

    /// <summary>Delivery id, alert id or incident id that ties audit records together.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>The environment or account name, when the source knows which one owns the token.</summary>
    public string? OwnerHint { get; init; }

    /// <summary>When the source first saw it; the alert-to-disabled latency is measured from here.</summary>
    public DateTimeOffset? DetectedAt { get; init; }

    public string? RequestedBy { get; init; }

    public static Leak FromSecret(TokenSecret secret, string source, string correlationId) =>
        new() { Secret = secret, TokenId = secret.Id, Source = source, CorrelationId = correlationId };

    public static Leak FromId(TokenId id, string source, string correlationId) =>
        new() { TokenId = id, Source = source, CorrelationId = correlationId };
}
