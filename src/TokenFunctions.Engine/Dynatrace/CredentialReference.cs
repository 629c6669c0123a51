namespace TokenFunctions.Engine.Dynatrace;

/// <summary>
/// Where a management credential lives: a Key Vault secret name (production, read with the managed identity)
/// or, for local runs only, a configuration value. Exactly one is set.
/// </summary>
public sealed record CredentialReference
{
    public string? KeyVaultSecretName { get; init; }

    public string? Value { get; init; }

    public static CredentialReference FromKeyVault(string secretName) => new() { KeyVaultSecretName = secretName };

    public static CredentialReference FromValue(string value) => new() { Value = value };

    /// <summary>Never the value: only where it comes from.</summary>
    public override string ToString() => KeyVaultSecretName is { } name ? $"keyvault:{name}" : "setting:(value)";
}
