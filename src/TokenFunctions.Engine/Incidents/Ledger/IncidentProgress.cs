using TokenFunctions.Engine.Incidents.Handlers;

namespace TokenFunctions.Engine.Incidents.Ledger;

/// <summary>
/// Durable state of one piece of work (an incident id plus the content hash of one message), with a lease so two
/// deliveries never work on it at once. <see cref="Version"/> is the store's concurrency token (the Table ETag).
/// </summary>
public sealed record IncidentProgress
{
    public const int MaxNeedsHumanEntries = 200;

    public required string IncidentId { get; init; }

    public required string WorkId { get; init; }

    public required string MessageType { get; init; }

    public IncidentProgressState State { get; init; }

    /// <summary>The message id of the delivery working on it.</summary>
    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }

    public int Deliveries { get; init; }

    /// <summary>Tokens that ended disabled, already disabled, would-disable (dry run), enabled or rotated.</summary>
    public long Succeeded { get; init; }

    /// <summary>Tokens that ended final without success and need no retry: not found, protected, unsupported, not managed.</summary>
    public long Settled { get; init; }

    /// <summary>Secret-free lines a human must act on (token id, outcome, owner), at most <see cref="MaxNeedsHumanEntries"/>.</summary>
    public IReadOnlyList<string> NeedsHuman { get; init; } = [];

    /// <summary>All needs-human items, including those beyond the list's bound.</summary>
    public long NeedsHumanCount { get; init; }

    public IReadOnlyList<TargetCursor> Cursors { get; init; } = [];

    /// <summary>Continuations scheduled with backoff since <see cref="RetrySince"/> (the retry attempt number).</summary>
    public int RetryAttempts { get; init; }

    /// <summary>When the current run of transient failures began; the retry horizon counts from here. Null while none.</summary>
    public DateTimeOffset? RetrySince { get; init; }

    /// <summary>The settlement of the last delivery (Complete, Abandon or a dead-letter reason).</summary>
    public string? LastSettlement { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Null for work not yet stored; otherwise the version the next save must match.</summary>
    public string? Version { get; init; }
}
