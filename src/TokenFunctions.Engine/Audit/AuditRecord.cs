using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// One decision, append-only. Carries token ids and fingerprints, never a secret: every free-text field passes
/// through <see cref="Redaction"/> when the record is built.
/// </summary>
public sealed record AuditRecord
{
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Which input or timer made the decision: <c>github-alert</c>, <c>queue</c>, <c>rotation-timer</c>, …</summary>
    public required string Source { get; init; }

    /// <summary>Delivery, alert or incident id.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>disable, enable, rotate, delete, create, verify, notify…</summary>
    public required string Action { get; init; }

    /// <summary>The outcome name, e.g. <c>Disabled</c>, <c>NotFound</c>, <c>SignatureInvalid</c>.</summary>
    public required string Outcome { get; init; }

    public TokenId? TokenId { get; init; }

    public TokenKind? TokenKind { get; init; }

    public string? Fingerprint { get; init; }

    /// <summary>Environment or account name.</summary>
    public string? Owner { get; init; }

    public TimeSpan? Latency { get; init; }

    public string? RequestedBy { get; init; }

    public bool DryRun { get; init; }

    public string? Detail { get; init; }

    /// <summary>Who or what the token belonged to and could reach, from Dynatrace.</summary>
    public BlastRadius? BlastRadius { get; init; }
}

public sealed record BlastRadius(
    string? TokenOwner,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? LastUsedDate,
    string? LastUsedIpAddress,
    string? Name = null);
