namespace TokenFunctions.Engine.Sources.Deliveries;

/// <summary>The answer of <see cref="IDeliveryClaims.ClaimAsync"/>. <see cref="Handle"/> is the store's concurrency token.</summary>
public sealed record DeliveryClaim(ClaimStatus Status, string Source, string Key, DateTimeOffset RetainUntil, string? Handle = null)
{
    public int Attempt { get; init; } = 1;
}
