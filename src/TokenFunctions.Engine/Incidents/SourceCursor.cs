namespace TokenFunctions.Engine.Incidents;

/// <summary>
/// Where a kill-switch selector is in one environment's or account's token list. <see cref="PageKey"/> (classic) or
/// <see cref="PageNumber"/> (platform) fetches the page being worked on, so a redelivery re-reads that page and the
/// ledger skips its finished tokens; the cursor moves on only once every token on the page is final.
/// </summary>
public sealed record SourceCursor
{
    /// <summary><c>environment:NAME</c> or <c>account:NAME</c>.</summary>
    public required string Source { get; init; }

    public string? PageKey { get; init; }

    public int PageNumber { get; init; }

    public bool Finished { get; init; }

    /// <summary>Tokens on pages already passed.</summary>
    public long Listed { get; init; }

    /// <summary>Times the listing restarted because Dynatrace no longer accepted a saved page key.</summary>
    public int Restarts { get; init; }
}
