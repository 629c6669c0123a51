namespace TokenFunctions.Engine.Sources.Ledger;

/// <summary>The answer of <see cref="IDeliveryLedger.ClaimAsync"/>. <see cref="Handle"/> is the store's concurrency token.</summary>
public sealed record LedgerClaim(ClaimStatus Status, string Source, string Key, DateTimeOffset RetainUntil, string? Handle = null)
{
    public int Attempt { get; init; } = 1;
}
