namespace TokenFunctions.Engine.Sources.Deliveries;

/// <summary>Where the ledger lives, bound from <c>Sources:Ledger</c>.</summary>
public sealed class DeliveryClaimsOptions
{
    public const string SectionName = "Sources:Ledger";

    /// <summary><c>Table</c> (default, durable) or <c>InMemory</c> (single-instance local runs only).</summary>
    public string Mode { get; set; } = "Table";

    /// <summary>Storage connection string; falls back to <c>AzureWebJobsStorage</c> when neither this nor <see cref="ServiceUri"/> is set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table endpoint for managed identity, e.g. <c>https://acct.table.core.windows.net/</c>.</summary>
    public Uri? ServiceUri { get; set; }

    public string TableName { get; set; } = "WebhookDeliveries";
}
