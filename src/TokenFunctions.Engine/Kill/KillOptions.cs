namespace TokenFunctions.Engine.Kill;

/// <summary>Engine settings, bound from configuration section <c>KillSwitch</c>.</summary>
public sealed class KillOptions
{
    public const string SectionName = "KillSwitch";

    /// <summary>Global dry run: decide and audit, call no write endpoint.</summary>
    public bool DryRun { get; set; }

    /// <summary>Sources (by name) that run dry even when the global switch is off.</summary>
    public IList<string> DryRunSources { get; set; } = [];

    /// <summary>Token ids that are never disabled automatically.</summary>
    public IList<string> ProtectedTokenIds { get; set; } = [];

    /// <summary>
    /// Concurrent Dynatrace calls per environment or account, across every batch this process runs at once
    /// (lookups, reads and writes alike).
    /// </summary>
    public int MaxConcurrencyPerEnvironment { get; set; } = 8;

    /// <summary>
    /// Calls per second started against one environment (all batches of the process together); 0 means no pacing, only
    /// the concurrency bound. Dynatrace publishes no number for the Environment API, so set it to what the tenant allows.
    /// </summary>
    public double MaxRequestsPerSecondPerEnvironment { get; set; }

    /// <summary>
    /// Calls per second started against one account's Account Management API. Dynatrace enforces 200 requests per
    /// minute there; the default stays just under it. 0 means no pacing.
    /// </summary>
    public double MaxRequestsPerSecondPerAccount { get; set; } = 3.2;

    /// <summary>
    /// Also protect the app's own management credentials (each environment's primary and secondary API token, each
    /// account's OAuth client ids) when they can be resolved. Disabling them would cut the kill off.
    /// </summary>
    public bool ProtectOwnCredentials { get; set; } = true;

    /// <summary>
    /// From this many classic tokens in one batch, the engine lists every environment's tokens once (paged,
    /// 10,000 per page) instead of asking each environment about each token: a few list calls replace
    /// tokens × environments lookups. Tokens missing from the lists are still resolved one by one. 0 turns it off.
    /// </summary>
    public int InventoryThreshold { get; set; } = 50;

    /// <summary>How long the resolved ids of the app's own credentials are cached.</summary>
    public TimeSpan OwnCredentialCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}
