namespace TokenFunctions.Engine.Incidents.Handlers;

/// <summary>
/// Where a kill-switch selector is in one environment's or account's token list. <see cref="PageKey"/> (classic) or
/// <see cref="PlatformPage"/> (platform) fetches the page being worked on, so a redelivery re-reads that page and the
/// ledger skips its finished tokens. Tokens that failed transiently on a finished page wait in <see cref="Retry"/>, so a
/// sporadic failure does not hold the listing back; each delivery retries them first.
/// </summary>
public sealed record TargetCursor
{
    /// <summary><c>environment:NAME</c> or <c>account:NAME</c>.</summary>
    public required string Source { get; init; }

    public string? PageKey { get; init; }

    /// <summary>Pages passed so far (both kinds); for progress messages.</summary>
    public int PageNumber { get; init; }

    /// <summary>
    /// The platform page number to ask for next, as the previous answer's <c>pageNumber</c> + 1; null asks for the
    /// server's first page without a number (see <c>PlatformTokenPaging</c>: the base is undocumented).
    /// </summary>
    public int? PlatformPage { get; init; }

    public bool Finished { get; init; }

    /// <summary>Tokens on pages already passed.</summary>
    public long Listed { get; init; }

    /// <summary>Token ids from pages already passed whose last attempt failed transiently.</summary>
    public IReadOnlyList<string> Retry { get; init; } = [];

    /// <summary>Times the listing restarted because Dynatrace no longer accepted a saved page key.</summary>
    public int Restarts { get; init; }
}
