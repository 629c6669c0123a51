using TokenFunctions.Engine.KeyVault;

namespace TokenFunctions.Engine.Dynatrace.Credentials;

/// <summary>
/// Tells the registered <see cref="ICredentialProvider"/> that rotation wrote a new version, when it caches: through
/// <see cref="IRefreshableCredentialProvider.Invalidate"/> (the Key Vault provider) or <see cref="ISecretRotationListener"/>.
/// A provider without a cache reads the newest version every time anyway. Without this, the Dynatrace clients would keep
/// authenticating with the retired token until it was disabled and the first 401 forced a re-read.
/// </summary>
public sealed class CredentialProviderRotationListener : ISecretRotationListener
{
    private readonly ICredentialProvider? _provider;

    public CredentialProviderRotationListener(ICredentialProvider? provider = null) => _provider = provider;

    public ValueTask SecretChangedAsync(string secretName, CancellationToken cancellationToken)
    {
        switch (_provider)
        {
            case ISecretRotationListener listener:
                return listener.SecretChangedAsync(secretName, cancellationToken);
            case IRefreshableCredentialProvider refreshable:
                refreshable.Invalidate(CredentialReference.FromKeyVault(secretName));
                return ValueTask.CompletedTask;
            default:
                return ValueTask.CompletedTask;
        }
    }
}
