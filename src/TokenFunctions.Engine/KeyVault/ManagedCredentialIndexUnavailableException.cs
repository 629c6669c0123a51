using Azure;

namespace TokenFunctions.Engine.KeyVault;

/// <summary>
/// Key Vault could not list the managed credentials (unreachable, throttled, 5xx, timed out). The index remembers the
/// outage for <see cref="KeyVaultOptions.OutageCacheDuration"/> and throws this at once meanwhile, so callers do not each
/// pay the SDK's retries. A <see cref="RequestFailedException"/> with status 503, so every caller that already treats a
/// failed vault request as "Key Vault unavailable" keeps doing so. The message names no secret.
/// </summary>
public sealed class ManagedCredentialIndexUnavailableException : RequestFailedException
{
    public ManagedCredentialIndexUnavailableException()
        : base(503, "Key Vault is unavailable.")
    {
    }

    public ManagedCredentialIndexUnavailableException(string message)
        : base(503, message)
    {
    }

    public ManagedCredentialIndexUnavailableException(string message, Exception innerException)
        : base(503, message, innerException)
    {
    }

    /// <summary>When the index asks Key Vault again.</summary>
    public DateTimeOffset? RetryAt { get; init; }
}
