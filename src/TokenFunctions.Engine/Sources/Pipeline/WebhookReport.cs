using TokenFunctions.Engine.Incidents;
using TokenFunctions.Engine.Incidents.Messages;
using TokenFunctions.Engine.Kill;
using TokenFunctions.Engine.Leaks;

namespace TokenFunctions.Engine.Sources.Pipeline;

/// <summary>
/// What a source read from an authentic body: the leaks (when the body carries them), the context the hand-off carries,
/// and how <see cref="WebhookPipeline"/> deduplicates the delivery. Sources derive their own report for what only they
/// need later (GitHub's alert reference, the generic count of ignored entries).
/// </summary>
public record WebhookReport
{
    /// <summary>Delivery id, report id or body hash as the source has it; the pipeline turns it into a contract key.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>The leaks the body names. GitHub and GitGuardian find theirs later (<see cref="WebhookSource.FindLeaksAsync"/>).</summary>
    public IReadOnlyList<Leak> Leaks { get; init; } = [];

    /// <summary>
    /// Claim the whole delivery under this delivery key before acting: a completed claim answers
    /// <see cref="WebhookSource.Duplicate"/>, a claim held by another attempt answers 409.
    /// </summary>
    public string? ClaimKey { get; init; }

    /// <summary>The 409 reason while another attempt holds <see cref="ClaimKey"/>.</summary>
    public string InProgressReason { get; init; } = "delivery_in_progress";

    /// <summary>
    /// Claim each leak under its fingerprint for this long instead (GitLab's idempotency window): a leak claimed before is
    /// dropped, not answered as a duplicate.
    /// </summary>
    public TimeSpan? LeakClaimRetention { get; init; }

    /// <summary>Count the delivery as an alert before its leaks are known (the sources that look them up elsewhere).</summary>
    public bool CountAsAlert { get; init; }

    public string? Reason { get; init; }

    public string? Location { get; init; }

    public DateTimeOffset? DetectedAt { get; init; }

    public string? Environment { get; init; }

    public GitHubAlertReference? GitHubAlert { get; init; }
}
