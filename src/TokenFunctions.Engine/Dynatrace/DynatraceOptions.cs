namespace TokenFunctions.Engine.Dynatrace;

/// <summary>Bound from configuration section <c>Dynatrace</c>; checked at startup by <see cref="DynatraceOptionsValidator"/>.</summary>
public sealed class DynatraceOptions
{
    public const string SectionName = "Dynatrace";

    /// <summary><c>Dynatrace:Environments:N:…</c>.</summary>
    public IList<DynatraceEnvironmentOptions> Environments { get; set; } = [];

    /// <summary><c>Dynatrace:Accounts:N:…</c>.</summary>
    public IList<DynatraceAccountOptions> Accounts { get; set; } = [];

    /// <summary>Budget of one client operation: every attempt, backoff wait, secondary-credential retry and OAuth fetch.</summary>
    public TimeSpan RequestDeadline { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>One HTTP attempt; a hung request is abandoned and retried after this.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>First backoff step; doubled per retry with jitter, up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound on retries; in practice the deadline ends them first.</summary>
    public int MaxRetryAttempts { get; set; } = 10;

    /// <summary>How long a credential read from Key Vault is reused.</summary>
    public TimeSpan CredentialCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An OAuth bearer is refreshed this long before its <c>expires_in</c> runs out.</summary>
    public TimeSpan BearerRefreshMargin { get; set; } = TimeSpan.FromSeconds(60);
}
