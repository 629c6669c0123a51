namespace TokenFunctions.Engine.Sources.Deliveries;

/// <summary>
/// Durable record of deliveries (GitHub delivery ids, replay markers, per-token idempotency keys). A claim is a lease:
/// while it runs duplicates are told <see cref="ClaimStatus.InProgress"/>; when it completes duplicates are told
/// <see cref="ClaimStatus.AlreadyCompleted"/>; when it is released (the attempt failed) or its lease runs out (the process
/// died) the next delivery claims it again, so no alert is lost to a half-finished attempt.
/// </summary>
public interface IDeliveryClaims
{
    /// <param name="source">Partition, e.g. <c>github-alert</c>.</param>
    /// <param name="key">Delivery id or other dedupe key; any text (it is encoded for storage).</param>
    /// <param name="lease">How long an unfinished claim blocks others.</param>
    /// <param name="retention">How long the record is kept once claimed; expired records count as absent.</param>
    Task<DeliveryClaim> ClaimAsync(string source, string key, TimeSpan lease, TimeSpan retention, CancellationToken cancellationToken);

    /// <summary>Marks the claimed key done: later deliveries answer without acting.</summary>
    Task CompleteAsync(DeliveryClaim claim, CancellationToken cancellationToken);

    /// <summary>Gives the key up at once (the attempt failed and the sender was told to retry).</summary>
    Task ReleaseAsync(DeliveryClaim claim, CancellationToken cancellationToken);
}
