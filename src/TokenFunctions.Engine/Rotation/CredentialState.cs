namespace TokenFunctions.Engine.Rotation;

/// <summary>
/// The one durable row per managed credential: its lease (single flight), the rotation in flight, and the replaced tokens
/// still to disable and delete. Every change is a conditional write on <see cref="ETag"/>.
/// </summary>
public sealed record CredentialState
{
    public required string SecretName { get; init; }

    /// <summary>The store's concurrency token for this row; null for a row not yet written.</summary>
    public string? ETag { get; init; }

    public string? LeaseHolder { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    public RotationRecord? Active { get; init; }

    public IReadOnlyList<RetiringToken> Retiring { get; init; } = [];

    public string? LastRotationId { get; init; }

    public string? LastOutcome { get; init; }

    public DateTimeOffset? LastFinishedAt { get; init; }

    public int ConsecutiveFailures { get; init; }

    /// <summary>Already redacted.</summary>
    public string? LastError { get; init; }

    public bool IsLeasedAt(DateTimeOffset now) => LeaseHolder is not null && LeaseUntil is { } until && until > now;
}
