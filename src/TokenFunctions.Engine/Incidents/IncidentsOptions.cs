using TokenFunctions.Engine.Incidents.Ledger;

namespace TokenFunctions.Engine.Incidents;

/// <summary>Incident-queue settings, bound from configuration section <c>Incidents</c>.</summary>
public sealed class IncidentsOptions
{
    public const string SectionName = "Incidents";

    /// <summary>
    /// Must equal the queue's <c>maxDeliveryCount</c>. On that delivery the processor dead-letters explicitly, listing
    /// what remains, instead of abandoning and letting Service Bus dead-letter with a generic reason.
    /// </summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>
    /// Work per delivery before the processor saves progress and abandons so the redelivery continues. Keep it well under
    /// the function timeout and the host's <c>maxAutoLockRenewalDuration</c>.
    /// </summary>
    public TimeSpan WorkBudgetPerDelivery { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Extra lease time beyond the budget before another delivery may take over the same work.</summary>
    public TimeSpan LeaseGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tokens per Dynatrace list call for kill-switch selectors (classic: 100 to 10,000; platform: as the API allows).</summary>
    public int PageSize { get; set; } = 1000;

    /// <summary>Tokens per kill-switch call; the budget is checked between batches.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Upper bound on <c>tokens</c>/<c>tokenIds</c> entries in one message.</summary>
    public int MaxTokensPerMessage { get; set; } = 10_000;

    /// <summary>
    /// Largest body accepted (and produced: the sender splits bigger disable messages). 256 KB on the Standard tier, up to
    /// 100 MB on Premium; the default fits 10,000 token ids.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    public IncidentStorageOptions Storage { get; set; } = new();

    /// <summary>How retryable work is continued later (section <c>Incidents:Retry</c>).</summary>
    public IncidentRetryOptions Retry { get; set; } = new();
}

/// <summary>
/// Backoff for retryable incident work (transient Dynatrace or Key Vault failures, a follow-up such as resolving a GitHub
/// alert that is not done yet): the work is continued by a message scheduled on the queue after
/// <c>min(MaxDelay, FirstDelay × 2^(attempt−1))</c>, shortened by a random fraction of up to <see cref="Jitter"/> so
/// many incidents failing together do not come back together, until <see cref="Horizon"/> after the first failure; then it
/// is dead-lettered <c>RetriesExhausted</c> with what remains. Section <c>Incidents:Retry</c>.
/// </summary>
public sealed class IncidentRetryOptions
{
    /// <summary>How long an outage is ridden out, counted from the first failure of the current run of failures.</summary>
    public TimeSpan Horizon { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>0 to 1: each delay is shortened by a random fraction of up to this much.</summary>
    public double Jitter { get; set; } = 0.2;
}

/// <summary>Where the incident ledger and progress live (section <c>Incidents:Storage</c>).</summary>
public sealed class IncidentStorageOptions
{
    /// <summary>Table endpoint for managed identity, e.g. <c>https://account.table.core.windows.net/</c>.</summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>User-assigned managed identity client id; empty uses the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>A connection string instead of <see cref="ServiceUri"/> (Azurite: <c>UseDevelopmentStorage=true</c>).</summary>
    public string? ConnectionString { get; set; }

    public string LedgerTable { get; set; } = "IncidentLedger";

    public string ProgressTable { get; set; } = "IncidentProgress";

    /// <summary>Local runs only: keep ledger and progress in memory (lost on restart, so redeliveries may act twice).</summary>
    public bool InMemory { get; set; }
}
