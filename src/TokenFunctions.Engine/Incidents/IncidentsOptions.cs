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
