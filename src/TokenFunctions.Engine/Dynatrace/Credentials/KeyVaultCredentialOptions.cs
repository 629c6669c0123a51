namespace TokenFunctions.Engine.Dynatrace.Credentials;

/// <summary>Bound from section <c>KeyVault</c>: where the management credentials live.</summary>
public sealed class KeyVaultCredentialOptions
{
    public const string SectionName = "KeyVault";

    /// <summary>e.g. <c>https://my-vault.vault.azure.net/</c>. Required when any credential is a <c>…SecretName</c>.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty uses the system-assigned one (or developer credentials locally).</summary>
    public string? ManagedIdentityClientId { get; set; }
}
