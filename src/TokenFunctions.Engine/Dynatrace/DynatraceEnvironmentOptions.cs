namespace TokenFunctions.Engine.Dynatrace;

/// <summary><c>Dynatrace:Environments:N</c>. Credentials: a Key Vault secret name (Azure) or a value (local runs), not both.</summary>
public sealed class DynatraceEnvironmentOptions
{
    public string? Name { get; set; }

    /// <summary>SaaS <c>https://{env}.live.dynatrace.com/</c>; Managed or ActiveGate <c>https://{domain}/e/{env}/</c>.</summary>
    public string? ApiBaseUrl { get; set; }

    public string? CredentialSecretName { get; set; }

    public string? Credential { get; set; }

    public string? SecondaryCredentialSecretName { get; set; }

    public string? SecondaryCredential { get; set; }

    /// <summary><c>V2</c> (default) or <c>V1</c> for clusters that only take the deprecated <c>PUT /api/v1/tokens/{id}</c>.</summary>
    public DisableApi DisableApi { get; set; } = DisableApi.V2;

    /// <summary>Only call after validation.</summary>
    public DynatraceEnvironment ToEnvironment() => new()
    {
        Name = Name!,
        ApiBaseUrl = DynatraceUrls.WithTrailingSlash(new Uri(ApiBaseUrl!, UriKind.Absolute)),
        Credential = Reference(CredentialSecretName, Credential)!,
        SecondaryCredential = Reference(SecondaryCredentialSecretName, SecondaryCredential),
        DisableApi = DisableApi,
    };

    internal static CredentialReference? Reference(string? secretName, string? value) =>
        !string.IsNullOrWhiteSpace(secretName) ? CredentialReference.FromKeyVault(secretName.Trim())
        : !string.IsNullOrEmpty(value) ? CredentialReference.FromValue(value)
        : null;
}
