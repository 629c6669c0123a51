namespace TokenFunctions.Engine.Audit;

/// <summary>Audit trail settings, bound from configuration section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// Table endpoint for identity-based access in Azure, e.g. <c>https://stfunc.table.core.windows.net</c>. The app's
    /// managed identity needs <em>Storage Table Data Contributor</em> on the account (or the table).
    /// </summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Connection string for Azurite and local runs (<c>UseDevelopmentStorage=true</c>). Wins over <see cref="TableServiceUri"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>3–63 letters and digits, starting with a letter.</summary>
    public string TableName { get; set; } = "audit";

    /// <summary>Create the table on first use. Turn off when infrastructure creates it and the identity may not.</summary>
    public bool CreateTableIfNotExists { get; set; } = true;

    /// <summary>How long a caller (a revocation) waits for the store before the record goes to the retry buffer.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Records held in memory for a later retry when the store is down. Beyond this, the fallback log line is all that remains.</summary>
    public int RetryBufferCapacity { get; set; } = 10_000;

    /// <summary>Attempts per buffered batch before it goes back to the end of the buffer.</summary>
    public int RetryAttempts { get; set; } = 6;

    /// <summary>First backoff delay of the buffer's retry (exponential with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Widest time range one query may cover; each hour is one partition to read.</summary>
    public TimeSpan MaxQueryRange { get; set; } = TimeSpan.FromDays(7);

    public int DefaultQueryLimit { get; set; } = 100;

    public int MaxQueryLimit { get; set; } = 1000;

    /// <summary>Returns what is wrong with the settings, or nothing.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) && TableServiceUri is null)
        {
            yield return "Audit:TableServiceUri (identity) or Audit:ConnectionString (Azurite) is required.";
        }

        if (TableServiceUri is { IsAbsoluteUri: false })
        {
            yield return "Audit:TableServiceUri must be an absolute URI.";
        }

        if (!AuditKeys.IsValidTableName(TableName))
        {
            yield return "Audit:TableName must be 3-63 letters or digits and start with a letter.";
        }

        if (WriteTimeout <= TimeSpan.Zero || RetryBaseDelay < TimeSpan.Zero || MaxQueryRange <= TimeSpan.Zero)
        {
            yield return "Audit:WriteTimeout and Audit:MaxQueryRange must be positive, Audit:RetryBaseDelay not negative.";
        }

        if (RetryBufferCapacity < 1 || RetryAttempts < 1)
        {
            yield return "Audit:RetryBufferCapacity and Audit:RetryAttempts must be at least 1.";
        }

        if (DefaultQueryLimit < 1 || MaxQueryLimit < DefaultQueryLimit)
        {
            yield return "Audit:DefaultQueryLimit must be at least 1 and at most Audit:MaxQueryLimit.";
        }
    }
}
