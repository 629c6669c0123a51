namespace TokenFunctions.Engine.Dynatrace.Credentials;

/// <summary>
/// A provider that caches: when Dynatrace refuses a credential (401) the client drops the cached copy and reads it once
/// more, so a credential rotated into Key Vault is picked up at once instead of after the cache expires.
/// </summary>
public interface IRefreshableCredentialProvider : ICredentialProvider
{
    void Invalidate(CredentialReference reference);
}
