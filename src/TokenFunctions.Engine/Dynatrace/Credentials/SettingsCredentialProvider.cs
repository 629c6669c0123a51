namespace TokenFunctions.Engine.Dynatrace.Credentials;

/// <summary>Local runs: credentials given as configuration values. A Key Vault reference is a configuration error here.</summary>
public sealed class SettingsCredentialProvider : ICredentialProvider
{
    public ValueTask<string> GetAsync(CredentialReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Value is { Length: > 0 } value
            ? ValueTask.FromResult(value)
            : throw new ManagementCredentialUnavailableException(reference, "Key Vault is not configured (set KeyVault:VaultUri) and no value is given.", isTransient: false);
    }
}
