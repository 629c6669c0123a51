namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// The vault that holds the management and the managed credentials, bound from configuration section <c>KeyVault</c>:
/// the one options type for that section (the Dynatrace credential provider and its validator read it too).
/// </summary>
public sealed class KeyVaultOptions
{
    public const string SectionName = "KeyVault";

    /// <summary>
    /// e.g. <c>https://kv-tokenfn-prod.vault.azure.net/</c>; read with the app's managed identity. Required when any
    /// Dynatrace credential is a <c>…SecretName</c>; unset, credentials are read from configuration values.
    /// </summary>
    public Uri? VaultUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty uses the system-assigned one (or developer credentials locally).</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// Tests and the CLI sandbox only: the SHA-256 (hex) of a loopback vault's self-signed certificate. When set, the
    /// client trusts exactly that certificate and skips the bearer challenge's resource check; refused at start-up unless
    /// <see cref="VaultUri"/> is an https URL on a loopback host, so it cannot weaken a deployed app. Off (empty) by default.
    /// </summary>
    public string? LoopbackCertificateSha256 { get; set; }

    /// <summary>How long one listing of the vault's tags serves lookups.</summary>
    public TimeSpan IndexCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A lookup that misses re-lists the vault when the cache is older than this (a credential enrolled a minute ago still matches).</summary>
    public TimeSpan IndexMissRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After a listing failed because Key Vault was unavailable, how long lookups fail at once (or are served from the last
    /// listing) instead of asking again: an outage costs the SDK's retries once per this period, not once per leak.
    /// </summary>
    public TimeSpan OutageCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
