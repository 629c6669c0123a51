using TokenFunctions.Engine.Tokens;

namespace TokenFunctions.Engine.Audit;

/// <summary>
/// One decision, append-only. Carries token ids and fingerprints, never a secret: every free-text field passes
/// through <see cref="Redaction"/> when it is set (including through <c>with</c>), so a record cannot hold a full token
/// whatever its producer put in it. The table store redacts once more when it writes.
/// </summary>
public sealed record AuditRecord
{
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Which input or timer made the decision: <c>github-alert</c>, <c>queue</c>, <c>rotation-timer</c>, …</summary>
    public required string Source { get; init => field = Redaction.Redact(value)!; }

    /// <summary>Delivery, alert or incident id.</summary>
    public required string CorrelationId { get; init => field = Redaction.Redact(value)!; }

    /// <summary>disable, enable, rotate, delete, create, verify, notify…</summary>
    public required string Action { get; init => field = Redaction.Redact(value)!; }

    /// <summary>The outcome name, e.g. <c>Disabled</c>, <c>NotFound</c>, <c>SignatureInvalid</c>.</summary>
    public required string Outcome { get; init => field = Redaction.Redact(value)!; }

    public TokenId? TokenId { get; init; }

    public TokenKind? TokenKind { get; init; }

    public string? Fingerprint { get; init => field = Redaction.Redact(value); }

    /// <summary>Environment or account name.</summary>
    public string? Owner { get; init => field = Redaction.Redact(value); }

    public TimeSpan? Latency { get; init; }

    public string? RequestedBy { get; init => field = Redaction.Redact(value); }

    public bool DryRun { get; init; }

    public string? Detail { get; init => field = Redaction.Redact(value); }

    /// <summary>Who or what the token belonged to and could reach, from Dynatrace.</summary>
    public BlastRadius? BlastRadius { get; init; }
}

/// <summary>Dynatrace's metadata of a leaked token. Its text fields are redacted when set, like <see cref="AuditRecord"/>'s.</summary>
public sealed record BlastRadius(
    string? TokenOwner,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? LastUsedDate,
    string? LastUsedIpAddress,
    string? Name = null)
{
    public string? TokenOwner { get; init => field = Redaction.Redact(value); } = Redaction.Redact(TokenOwner);

    public IReadOnlyList<string> Scopes { get; init => field = RedactAll(value); } = RedactAll(Scopes);

    public string? LastUsedIpAddress { get; init => field = Redaction.Redact(value); } = Redaction.Redact(LastUsedIpAddress);

    public string? Name { get; init => field = Redaction.Redact(value); } = Redaction.Redact(Name);

    private static IReadOnlyList<string> RedactAll(IReadOnlyList<string>? values) =>
        values is null or { Count: 0 } ? [] : values.Select(v => Redaction.Redact(v) ?? string.Empty).ToArray();
}
