namespace TokenFunctions.Engine.KeyVault;

/// <summary>The result of reading one secret's tags. <see cref="Errors"/> are safe to log (values are redacted and shortened).</summary>
public sealed record TagReadResult(
    string SecretName,
    TagReadStatus Status,
    ManagedCredential? Credential,
    CredentialPolicy? Policy,
    IReadOnlyList<string> Errors)
{
    public static TagReadResult NotManaged(string secretName) => new(secretName, TagReadStatus.NotManaged, null, null, []);
}
